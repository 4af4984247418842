import { eq } from "drizzle-orm";

import {
  defaultGatePolicy,
  gatePolicySchema,
  hashGatePolicy,
  type GatePolicy,
  type GatePolicyInput,
} from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { gatePolicies, type Environment } from "@plumbline/db/schema";

import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { lockSubject, withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";
import { findEnvironment } from "./environments";
import { invalidateOpenRequests } from "./invalidate";

/** The policy in force in an environment: the stored one, or the defaults for its kind. */
export async function policyOf(
  db: DatabaseOrTransaction,
  environment: Pick<Environment, "id" | "kind">,
): Promise<{ policy: GatePolicy; policyHash: string; stored: boolean }> {
  const [row] = await db
    .select()
    .from(gatePolicies)
    .where(eq(gatePolicies.environmentId, environment.id));
  const policy = row ? gatePolicySchema.parse(row.policy) : defaultGatePolicy(environment.kind);
  return { policy, policyHash: hashGatePolicy(policy), stored: row !== undefined };
}

/**
 * Stores an environment's gate policy (validated by governance's `gatePolicySchema`, so no policy
 * can loosen the role matrix). A different hash makes every open request of the environment that
 * snapshotted another policy stale, in the same transaction.
 */
export async function upsertGatePolicy(
  ctx: ServiceContext,
  input: { environmentName: string; policy: Omit<GatePolicyInput, "environment"> },
) {
  const environment = await findEnvironment(ctx.db, ctx.projectId, input.environmentName);
  const parsed = gatePolicySchema.safeParse({ ...input.policy, environment: environment.kind });
  if (!parsed.success) {
    throw new ServiceError(
      "BAD_REQUEST",
      "invalid_policy",
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    );
  }
  const policy = parsed.data;
  const policyHash = hashGatePolicy(policy);
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "environment", environment.id);
    const before = await policyOf(tx, environment);
    const staled =
      before.policyHash === policyHash
        ? []
        : await invalidateOpenRequests(
            tx,
            ctx,
            { environmentId: environment.id, unlessPolicyHash: policyHash },
            "policy_changed",
            `${environment.name} policy ${policyHash}`,
          );
    await tx
      .insert(gatePolicies)
      .values({
        projectId: ctx.projectId,
        environmentId: environment.id,
        policy,
        policyHash,
        updatedBy: userIdOf(ctx.actor),
      })
      .onConflictDoUpdate({
        target: gatePolicies.environmentId,
        set: { policy, policyHash, updatedBy: userIdOf(ctx.actor), updatedAt: new Date() },
      });
    await writeAudit(tx, ctx, {
      action: "gate_policy.updated",
      resourceType: "environment",
      resourceId: environment.id,
      before: { policyHash: before.policyHash, policy: before.policy },
      after: { policyHash, policy },
    });
    await enqueueEvent(tx, {
      projectId: ctx.projectId,
      eventType: "gate_policy.updated",
      resourceType: "environment",
      resourceId: environment.id,
      payload: { environment: environment.name, policyHash, staleRequestIds: staled },
    });
    return { environment: environment.name, policy, policyHash, staleRequestIds: staled };
  });
}
