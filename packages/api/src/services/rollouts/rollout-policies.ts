import { eq } from "drizzle-orm";

import {
  rolloutPolicySchema,
  type RolloutPolicy,
  type RolloutPolicyInput,
} from "@plumbline/rollouts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { rolloutPolicies } from "@plumbline/db/schema";

import { findEnvironment } from "../promotions/environments";
import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";

/** The rollout policy of an environment: the stored one, else `direct`. */
export async function rolloutPolicyOf(
  db: DatabaseOrTransaction,
  environmentId: string,
): Promise<RolloutPolicy> {
  const [row] = await db
    .select({ policy: rolloutPolicies.policy })
    .from(rolloutPolicies)
    .where(eq(rolloutPolicies.environmentId, environmentId));
  return row ? rolloutPolicySchema.parse(row.policy) : { mode: "direct" };
}

/** Parses a policy, naming each problem (`strategy.steps.0.weight: ...`). */
export function parseRolloutPolicy(input: unknown): RolloutPolicy {
  const parsed = rolloutPolicySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ServiceError(
    "BAD_REQUEST",
    "invalid_rollout_policy",
    parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "policy"}: ${issue.message}`)
      .join("; "),
  );
}

/**
 * Stores how an environment releases approved promotions (direct or canary), audited as
 * `rollout_policy.updated` with the policy before and after. A running deployment keeps the
 * strategy it started with.
 */
export async function setRolloutPolicy(
  ctx: ServiceContext,
  input: { environmentName: string; policy: RolloutPolicyInput },
): Promise<RolloutPolicy> {
  const environment = await findEnvironment(ctx.db, ctx.projectId, input.environmentName);
  const policy = parseRolloutPolicy(input.policy);
  return withRetryingTransaction(ctx.db, async (tx) => {
    const before = await rolloutPolicyOf(tx, environment.id);
    await tx
      .insert(rolloutPolicies)
      .values({
        projectId: ctx.projectId,
        environmentId: environment.id,
        policy,
        updatedBy: userIdOf(ctx.actor),
      })
      .onConflictDoUpdate({
        target: rolloutPolicies.environmentId,
        set: { policy, updatedBy: userIdOf(ctx.actor), updatedAt: new Date() },
      });
    await writeAudit(tx, ctx, {
      action: "rollout_policy.updated",
      resourceType: "environment",
      resourceId: environment.id,
      before,
      after: policy,
    });
    return policy;
  });
}
