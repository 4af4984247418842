import { randomUUID } from "node:crypto";

import { and, eq } from "drizzle-orm";

import type { CanaryStrategy } from "@plumbline/rollouts";
import type { Transaction } from "@plumbline/db/client";
import { deploymentEvents, deployments, modelAliases } from "@plumbline/db/schema";

import { applyEventInTransaction } from "../promotions/apply-event";
import { loadPromotion } from "../promotions/promotion-record";
import { auditActorOf, currentTime, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { isUniqueViolation } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";

/**
 * Turns an approved promotion into a canary deployment, in the caller's transaction: the request
 * goes to `deploying` (naming the deployment) and a `pending` deployment is created with a
 * snapshot of the strategy and the version the alias serves now (the stable one). The alias does
 * not move; the worker takes the deployment from here.
 */
export async function startCanaryDeployment(
  tx: Transaction,
  ctx: ServiceContext,
  input: { requestId: string; strategy: CanaryStrategy },
) {
  const loaded = await loadPromotion(tx, input.requestId);
  if (!loaded || loaded.row.projectId !== ctx.projectId) throw notFound("promotion request");
  const { row } = loaded;
  const deploymentId = randomUUID();
  const applied = await applyEventInTransaction(
    tx,
    ctx,
    input.requestId,
    { type: "deploy_started", actor: ctx.actor, deploymentId },
    { deploymentId },
  );
  const [alias] = await tx
    .select({ modelVersionId: modelAliases.modelVersionId })
    .from(modelAliases)
    .where(and(eq(modelAliases.modelId, row.modelId), eq(modelAliases.name, row.targetAlias)));
  const now = currentTime(ctx);
  const actor = auditActorOf(ctx.actor, ctx.job);
  try {
    await tx.insert(deployments).values({
      id: deploymentId,
      projectId: row.projectId,
      modelId: row.modelId,
      environmentId: row.environmentId,
      targetAlias: row.targetAlias,
      promotionRequestId: row.id,
      candidateVersionId: row.modelVersionId,
      stableVersionId: alias?.modelVersionId ?? null,
      strategy: input.strategy,
      startedBy: `${actor.type}:${actor.id ?? "system"}`,
      startedAt: now,
    });
  } catch (error) {
    if (isUniqueViolation(error, "deployments_one_live_key")) {
      throw new ServiceError(
        "CONFLICT",
        "deployment_in_progress",
        `Another deployment of this model to ${row.targetAlias} is still running.`,
      );
    }
    throw error;
  }
  await tx.insert(deploymentEvents).values({
    modelId: row.modelId,
    deploymentId,
    sequence: 1,
    kind: "created",
    toState: "pending",
    actorType: actor.type,
    actorId: actor.id ?? "system",
    reason: `promotion ${row.id}`,
    details: { strategy: input.strategy },
    occurredAt: now,
  });
  await writeAudit(tx, ctx, {
    action: "deployment.created",
    resourceType: "deployment",
    resourceId: deploymentId,
    after: {
      promotionRequestId: row.id,
      candidateVersionId: row.modelVersionId,
      stableVersionId: alias?.modelVersionId ?? null,
      environment: row.targetAlias,
      strategy: input.strategy,
    },
  });
  await enqueueEvent(tx, {
    projectId: row.projectId,
    eventType: "deployment.started",
    resourceType: "deployment",
    resourceId: deploymentId,
    payload: {
      deploymentId,
      promotionRequestId: row.id,
      model: { id: row.modelId },
      environment: row.targetAlias,
      candidateVersionId: row.modelVersionId,
      stableVersionId: alias?.modelVersionId ?? null,
      weight: 0,
    },
  });
  return { request: applied.request, deploymentId };
}
