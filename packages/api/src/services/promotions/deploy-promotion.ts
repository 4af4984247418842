import { rolloutPolicyOf } from "../rollouts/rollout-policies";
import { startCanaryDeployment } from "../rollouts/start-deployment";
import type { ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import { applyEventInTransaction } from "./apply-event";
import { loadPromotion } from "./promotion-record";

/**
 * Deploys an approved request: `deploy_started` then `deploy_finished` in one transaction, which
 * moves the environment's alias (with its history row) to the version. When the environment's
 * rollout policy is a canary, a deployment starts instead and the request stays `deploying`
 * until the canary succeeds (the alias moves then) or rolls back.
 */
export async function deployPromotion(
  ctx: ServiceContext,
  input: { requestId: string; deploymentId?: string },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const loaded = await loadPromotion(tx, input.requestId);
    if (loaded && loaded.row.projectId === ctx.projectId && input.deploymentId === undefined) {
      const policy = await rolloutPolicyOf(tx, loaded.row.environmentId);
      if (policy.mode === "canary") {
        const started = await startCanaryDeployment(tx, ctx, {
          requestId: input.requestId,
          strategy: policy.strategy,
        });
        return started.request;
      }
    }
    await applyEventInTransaction(
      tx,
      ctx,
      input.requestId,
      {
        type: "deploy_started",
        actor: ctx.actor,
        ...(input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId }),
      },
      input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId },
    );
    const finished = await applyEventInTransaction(tx, ctx, input.requestId, {
      type: "deploy_finished",
      actor: ctx.actor,
    });
    return finished.request;
  });
}

/** Starts a deployment and leaves the request `deploying` (for a canary driver). */
export async function startPromotionDeployment(
  ctx: ServiceContext,
  input: { requestId: string; deploymentId?: string },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const applied = await applyEventInTransaction(
      tx,
      ctx,
      input.requestId,
      {
        type: "deploy_started",
        actor: ctx.actor,
        ...(input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId }),
      },
      input.deploymentId === undefined ? {} : { deploymentId: input.deploymentId },
    );
    return applied.request;
  });
}

/**
 * Rolls a deploying request back; the alias does not move. Role matrix "abort a deployment":
 * an ml_engineer only their own request, approvers and admins any.
 */
export async function rollBackPromotion(
  ctx: ServiceContext,
  input: { requestId: string; reason: string },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const applied = await applyEventInTransaction(tx, ctx, input.requestId, (request) => {
      if (
        ctx.actor.type === "user" &&
        ctx.actor.role === "ml_engineer" &&
        request.requesterId !== ctx.actor.id
      ) {
        throw new ServiceError(
          "FORBIDDEN",
          "not_own_deployment",
          "An ml_engineer may only roll back their own promotion.",
        );
      }
      return { type: "deploy_rolled_back", actor: ctx.actor, reason: input.reason };
    });
    return applied.request;
  });
}
