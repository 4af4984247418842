import { and, eq, isNull } from "drizzle-orm";

import {
  applyDeploymentEvent,
  type CanaryStrategy,
  type DeploymentEffect,
  type DeploymentEvent,
  type DeploymentTransition,
} from "@plumbline/rollouts";
import type { Transaction } from "@plumbline/db/client";
import {
  analysisRuns,
  deploymentEvents,
  deploymentSteps,
  deployments,
  models,
  type Deployment,
} from "@plumbline/db/schema";

import { applyEventInTransaction } from "../promotions/apply-event";
import { loadPromotion } from "../promotions/promotion-record";
import { recordAliasMove } from "../registry/aliases";
import { auditActorOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { OptimisticLockConflict } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";
import { snapshotOf, strategyOf, versionLabelsOf } from "./deployment-record";
import { fireRollbackAlert } from "./rollback-alert";

export interface PersistedTransition {
  row: Deployment;
  transition: Extract<DeploymentTransition, { ok: true }>;
}

/**
 * Applies one event to a deployment row inside the caller's transaction: decide with the pure
 * state machine, write the row with optimistic locking (`WHERE id = $1 AND version = $2`; zero
 * rows throws {@link OptimisticLockConflict}, so the whole transaction retries from a fresh
 * read), then persist each effect in order: timeline, steps, analysis runs, audit rows, outbox
 * events, the alias move on success, the promotion's rollback and the alert on abort.
 */
export async function persistDeploymentEvent(
  tx: Transaction,
  ctx: ServiceContext,
  row: Deployment,
  event: DeploymentEvent,
): Promise<PersistedTransition> {
  const strategy = strategyOf(row);
  const transition = applyDeploymentEvent(snapshotOf(row), strategy, event);
  if (!transition.ok) {
    // Every refusal is the deployment's current state ruling the event out.
    throw new ServiceError("CONFLICT", transition.code, transition.message);
  }
  if (!transition.changed) return { row, transition };

  const retried = event.type === "retry";
  const next = transition.next;
  const finished = next.state === "succeeded" || next.state === "rolled_back";
  const [updated] = await tx
    .update(deployments)
    .set({
      ...next,
      attempt: retried ? row.attempt + 1 : row.attempt,
      finishedAt: finished ? event.now : null,
      updatedAt: event.now,
      version: row.version + 1,
    })
    .where(and(eq(deployments.id, row.id), eq(deployments.version, row.version)))
    .returning();
  if (!updated) throw new OptimisticLockConflict(`deployment ${row.id} changed under us`);
  let routing: Promise<Routing> | undefined;
  const shared: SharedInputs = {
    strategy,
    routing: () => (routing ??= loadRouting(tx, updated)),
  };
  for (const [position, effect] of transition.effects.entries()) {
    await writeEffect(
      tx,
      { ...ctx, projectId: row.projectId },
      updated,
      shared,
      effect,
      event,
      position,
    );
  }
  return { row: updated, transition };
}

/** The version labels and model slug a deployment's webhooks and alert name. */
interface Routing {
  labels: { candidate: string; stable: string | null };
  modelSlug: string | null;
}

/**
 * What the effects of one event share: the strategy parsed once, and the routing loaded when an
 * effect first needs it (neither changes within a transition).
 */
interface SharedInputs {
  strategy: CanaryStrategy;
  routing: () => Promise<Routing>;
}

async function loadRouting(tx: Transaction, row: Deployment): Promise<Routing> {
  const labels = await versionLabelsOf(tx, row);
  const [model] = await tx
    .select({ slug: models.slug })
    .from(models)
    .where(eq(models.id, row.modelId));
  return { labels, modelSlug: model?.slug ?? null };
}

async function writeEffect(
  tx: Transaction,
  ctx: ServiceContext,
  row: Deployment,
  shared: SharedInputs,
  effect: DeploymentEffect,
  event: DeploymentEvent,
  position: number,
): Promise<void> {
  const actor = auditActorOf(ctx.actor, ctx.job);
  const timeline = (values: Partial<typeof deploymentEvents.$inferInsert> & { kind: string }) =>
    tx.insert(deploymentEvents).values({
      modelId: row.modelId,
      deploymentId: row.id,
      sequence: row.version,
      position,
      actorType: actor.type,
      actorId: actor.id ?? "system",
      occurredAt: event.now,
      ...values,
    });
  switch (effect.kind) {
    case "transition":
      await timeline({
        kind: "transition",
        fromState: effect.from,
        toState: effect.to,
        reason: event.type === "abort" ? event.reason : effect.reason,
        details: { attempt: row.attempt, stepIndex: row.stepIndex },
      });
      await writeAudit(tx, ctx, {
        action: `deployment.${effect.to}`,
        resourceType: "deployment",
        resourceId: row.id,
        before: { state: effect.from },
        after: { state: effect.to, weight: row.weight, stepIndex: row.stepIndex },
        reason: event.type === "abort" ? event.reason : effect.reason,
      });
      break;
    case "step_started":
      await tx.insert(deploymentSteps).values({
        modelId: row.modelId,
        deploymentId: row.id,
        attempt: row.attempt,
        stepIndex: effect.stepIndex,
        step: effect.step,
        startedAt: event.now,
      });
      await writeAudit(tx, ctx, {
        action: "deployment.step_started",
        resourceType: "deployment",
        resourceId: row.id,
        after: { attempt: row.attempt, stepIndex: effect.stepIndex, step: effect.step },
      });
      break;
    case "step_completed":
      await tx
        .update(deploymentSteps)
        .set({ completedAt: event.now, completedVia: effect.via })
        .where(
          and(
            eq(deploymentSteps.modelId, row.modelId),
            eq(deploymentSteps.deploymentId, row.id),
            eq(deploymentSteps.attempt, row.attempt),
            eq(deploymentSteps.stepIndex, effect.stepIndex),
            isNull(deploymentSteps.completedAt),
          ),
        );
      await writeAudit(tx, ctx, {
        action: "deployment.step_completed",
        resourceType: "deployment",
        resourceId: row.id,
        after: { attempt: row.attempt, stepIndex: effect.stepIndex, via: effect.via },
      });
      break;
    case "weight_changed":
      await timeline({ kind: "weight_changed", weightFrom: effect.from, weightTo: effect.to });
      await writeAudit(tx, ctx, {
        action: "deployment.weight_changed",
        resourceType: "deployment",
        resourceId: row.id,
        before: { weight: effect.from },
        after: { weight: effect.to },
      });
      await enqueueEvent(tx, {
        projectId: row.projectId,
        eventType: "deployment.weight_changed",
        resourceType: "deployment",
        resourceId: row.id,
        payload: routingPayload(row, await shared.routing(), { previousWeight: effect.from }),
      });
      break;
    case "start_analysis": {
      const metrics = shared.strategy.analysis?.metrics ?? [];
      await tx.insert(analysisRuns).values({
        modelId: row.modelId,
        deploymentId: row.id,
        attempt: row.attempt,
        stepIndex: effect.stepIndex,
        metrics,
        startedAt: event.now,
      });
      await timeline({ kind: "analysis_started", details: { stepIndex: effect.stepIndex } });
      break;
    }
    case "notify_approver":
      await timeline({ kind: "notified", reason: effect.reason });
      await enqueueEvent(tx, {
        projectId: row.projectId,
        eventType: "deployment.inconclusive",
        resourceType: "deployment",
        resourceId: row.id,
        payload: {
          ...routingPayload(row, await shared.routing(), {}),
          audience: "approvers",
          reason: effect.reason,
          message: row.message,
        },
      });
      break;
    case "move_alias":
      await moveAliasOnSuccess(tx, ctx, row);
      await enqueueEvent(tx, {
        projectId: row.projectId,
        eventType: "deployment.succeeded",
        resourceType: "deployment",
        resourceId: row.id,
        payload: routingPayload(row, await shared.routing(), {}),
      });
      break;
    case "rolled_back": {
      await closePromotionRolledBack(tx, ctx, row, effect.message ?? effect.reason);
      const routing = await shared.routing();
      const alertId = await fireRollbackAlert(tx, {
        row,
        candidateVersion: routing.labels.candidate,
        reason: effect.reason,
        message: effect.message,
        now: event.now,
      });
      await timeline({ kind: "alert_fired", reason: effect.reason, details: { alertId } });
      await enqueueEvent(tx, {
        projectId: row.projectId,
        eventType: "deployment.rolled_back",
        resourceType: "deployment",
        resourceId: row.id,
        payload: {
          ...routingPayload(row, routing, {}),
          abortReason: effect.reason,
          message: effect.message,
          alertId,
        },
      });
      break;
    }
  }
}

/**
 * What every deployment webhook carries: enough for a serving layer to set its split without
 * calling back (the KServe recipe patches `canaryTrafficPercent` from `weight`).
 */
function routingPayload(
  row: Deployment,
  routing: Routing,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    deploymentId: row.id,
    model: { id: row.modelId, slug: routing.modelSlug },
    environment: row.targetAlias,
    state: row.state,
    stableVersion: routing.labels.stable,
    canaryVersion: routing.labels.candidate,
    weight: row.weight,
    attempt: row.attempt,
    ...extra,
  };
}

/**
 * On success the protected alias moves through the promotion's own `deploy_finished` (its
 * history row and audit come with it). A retried deployment whose promotion was already closed
 * as rolled back moves the alias itself, through the same writer, naming that promotion.
 */
async function moveAliasOnSuccess(tx: Transaction, ctx: ServiceContext, row: Deployment) {
  const loaded = row.promotionRequestId
    ? await loadPromotion(tx, row.promotionRequestId)
    : undefined;
  if (loaded && loaded.request.state === "deploying") {
    await applyEventInTransaction(tx, ctx, loaded.request.id, {
      type: "deploy_finished",
      actor: ctx.actor,
    });
    return;
  }
  await recordAliasMove(tx, {
    projectId: row.projectId,
    modelId: row.modelId,
    alias: row.targetAlias,
    toVersionId: row.candidateVersionId,
    via: "promotion",
    promotionRequestId: row.promotionRequestId,
    actor: ctx.actor,
    reason: `deployment ${row.id} attempt ${row.attempt} succeeded`,
  });
}

async function closePromotionRolledBack(
  tx: Transaction,
  ctx: ServiceContext,
  row: Deployment,
  reason: string,
) {
  if (!row.promotionRequestId) return;
  const loaded = await loadPromotion(tx, row.promotionRequestId);
  if (!loaded || loaded.request.state !== "deploying") return;
  await applyEventInTransaction(tx, ctx, loaded.request.id, {
    type: "deploy_rolled_back",
    actor: ctx.actor,
    reason,
  });
}
