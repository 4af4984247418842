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

/** Effects that happen after commit (notifications; gates are run by the caller). */
export type DeferredEffect = Extract<PromotionEffect, { kind: "notify" | "run_gates" }>;

export interface AppliedEvent {
  request: PromotionRequest;
  deferred: DeferredEffect[];
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
): Promise<DeferredEffect[]> {
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
  return writeEffects(tx, ctx, loaded.row, next, effects);
}

/** Persists a transition's effects, in list order, in the caller's transaction. */
export async function writeEffects(
  tx: Transaction,
  ctx: ServiceContext,
  row: Pick<PromotionRequestRow, "projectId" | "modelId">,
  next: PromotionRequest,
  effects: readonly PromotionEffect[],
): Promise<DeferredEffect[]> {
  const deferred: DeferredEffect[] = [];
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
      case "run_gates":
        deferred.push(effect);
        break;
    }
  }
  return deferred;
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
  const deferred = await persistTransition(
    tx,
    ctx,
    loaded,
    transition.request,
    transition.effects,
    extraColumns,
  );
  return { request: transition.request, deferred };
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
