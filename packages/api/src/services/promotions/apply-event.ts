import { and, eq, inArray } from "drizzle-orm";

import {
  applyPromotionEvent,
  type PromotionEffect,
  type PromotionEvent,
  type PromotionRequest,
} from "@plumbline/governance";
import type { Transaction } from "@plumbline/db/client";
import { approvals, promotionRequests, type PromotionRequestRow } from "@plumbline/db/schema";

import { recordAliasMove } from "../registry/aliases";
import { currentTime, writeAudit, type ServiceContext } from "../service-context";
import { notFound } from "../service-error";
import { OptimisticLockConflict, withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";
import { loadPromotion, mutableColumns, type LoadedPromotion } from "./promotion-record";
import { promotionRefusal } from "./promotion-refusal";

export interface AppliedEvent {
  request: PromotionRequest;
}

/**
 * Writes an accepted transition: the request with optimistic locking
 * (`UPDATE ... WHERE id = $1 AND version = $2`; zero rows throws {@link OptimisticLockConflict}
 * so the whole transaction is retried from a fresh read), then its effects in order, all in the
 * caller's transaction. `loaded` is the request as it was read.
 */
export async function persistTransition(
  tx: Transaction,
  ctx: ServiceContext,
  loaded: LoadedPromotion,
  next: PromotionRequest,
  effects: readonly PromotionEffect[],
  extraColumns: { deploymentId?: string } = {},
): Promise<void> {
  const updated = await tx
    .update(promotionRequests)
    .set({ ...mutableColumns(next), ...extraColumns })
    .where(
      and(eq(promotionRequests.id, next.id), eq(promotionRequests.version, loaded.request.version)),
    )
    .returning({ id: promotionRequests.id });
  if (updated.length === 0) {
    throw new OptimisticLockConflict(`promotion request ${next.id} changed under us`);
  }
  await writeEffects(tx, ctx, loaded.row, next, effects);
}

/**
 * Persists a transition's effects, in list order, in the caller's transaction. A `notify` becomes
 * a `promotion.notification` outbox event naming its audience, so whoever subscribed (a webhook
 * to chat or e-mail) tells those people; `run_gates` is the caller's next step
 * ({@link requestPromotion} runs the gates right after creating the request).
 */
export async function writeEffects(
  tx: Transaction,
  ctx: ServiceContext,
  row: Pick<PromotionRequestRow, "projectId" | "modelId">,
  next: PromotionRequest,
  effects: readonly PromotionEffect[],
): Promise<void> {
  const context = { ...ctx, projectId: row.projectId };
  for (const effect of effects) {
    switch (effect.kind) {
      case "audit":
        await writeAudit(
          tx,
          context,
          {
            action: effect.action,
            resourceType: "promotion_request",
            resourceId: next.id,
            before: effect.fromState === null ? null : { state: effect.fromState },
            after: {
              state: effect.toState,
              version: next.version,
              modelVersionId: next.modelVersionId,
              environment: next.environment,
            },
            reason: effect.reason,
          },
          effect.actor,
        );
        break;
      case "outbox":
        await enqueueEvent(tx, {
          projectId: row.projectId,
          eventType: effect.eventType,
          resourceType: "promotion_request",
          resourceId: next.id,
          payload: { ...effect.payload },
        });
        break;
      case "insert_decision":
        await tx.insert(approvals).values({ requestId: next.id, ...effect.decision });
        break;
      case "void_decisions":
        await tx
          .update(approvals)
          .set({ voided: true })
          .where(
            and(
              eq(approvals.requestId, next.id),
              inArray(approvals.approverId, effect.approverIds),
            ),
          );
        break;
      case "move_alias":
        await recordAliasMove(tx, {
          projectId: row.projectId,
          modelId: row.modelId,
          alias: effect.alias,
          toVersionId: effect.modelVersionId,
          via: effect.via,
          promotionRequestId: next.id,
          actor: ctx.actor,
          reason: next.breakGlass?.reason ?? null,
        });
        break;
      case "notify":
        await enqueueEvent(tx, {
          projectId: row.projectId,
          eventType: "promotion.notification",
          resourceType: "promotion_request",
          resourceId: next.id,
          payload: {
            requestId: next.id,
            modelVersionId: next.modelVersionId,
            environment: next.environment,
            state: next.state,
            audience: effect.audience,
            reason: effect.reason,
          },
        });
        break;
      case "run_gates":
        break;
    }
  }
}

/**
 * Applies one event to a stored request inside the caller's transaction: read, decide with the
 * governance state machine, persist. A refusal throws a {@link ServiceError}.
 */
export async function applyEventInTransaction(
  tx: Transaction,
  ctx: ServiceContext,
  requestId: string,
  event: PromotionEvent | ((request: PromotionRequest) => PromotionEvent),
  extraColumns: { deploymentId?: string } = {},
): Promise<AppliedEvent> {
  const loaded = await loadPromotion(tx, requestId);
  if (!loaded || loaded.row.projectId !== ctx.projectId) throw notFound("promotion request");
  const resolved = typeof event === "function" ? event(loaded.request) : event;
  const transition = applyPromotionEvent(loaded.request, resolved, { now: currentTime(ctx) });
  if (!transition.ok) throw promotionRefusal(transition.error);
  await persistTransition(tx, ctx, loaded, transition.request, transition.effects, extraColumns);
  return { request: transition.request };
}

/** {@link applyEventInTransaction} in its own transaction, retried when another writer won. */
export function applyEvent(
  ctx: ServiceContext,
  requestId: string,
  event: PromotionEvent | ((request: PromotionRequest) => PromotionEvent),
): Promise<AppliedEvent> {
  return withRetryingTransaction(ctx.db, (tx) =>
    applyEventInTransaction(tx, ctx, requestId, event),
  );
}
