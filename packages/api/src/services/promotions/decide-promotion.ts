import { and, asc, eq, lte } from "drizzle-orm";

import { SYSTEM_ACTOR } from "@plumbline/governance";
import type { Database } from "@plumbline/db/client";
import { promotionRequests } from "@plumbline/db/schema";

import type { ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { applyEvent } from "./apply-event";

export interface DecisionInput {
  requestId: string;
  decision: "approve" | "reject";
  comment: string;
  /** The artifact digest the approver reviewed; it must equal the request's snapshot. */
  artifactDigest: string;
}

/**
 * Records an approval or a rejection (veto). Concurrent approvers are safe: each decision is a
 * versioned update of the request, retried from a fresh read when another decision won, so quorum
 * is counted once and a late approver of a request that just became `approved` is refused. A
 * decision after expiry expires the request first and is then refused (`request_expired`).
 */
export async function decidePromotion(ctx: ServiceContext, input: DecisionInput) {
  try {
    const applied = await applyEvent(ctx, input.requestId, {
      type: input.decision,
      actor: ctx.actor,
      comment: input.comment,
      artifactDigest: input.artifactDigest,
    });
    return applied.request;
  } catch (error) {
    if (error instanceof ServiceError && error.reason === "request_expired") {
      await expirePromotion(
        { ...ctx, actor: SYSTEM_ACTOR, job: "expire-promotions" },
        input.requestId,
      ).catch(() => undefined);
    }
    throw error;
  }
}

/** Withdraws a request: the requester (a user or the CI key that asked) or an admin. */
export async function cancelPromotion(
  ctx: ServiceContext,
  input: { requestId: string; reason?: string },
) {
  const applied = await applyEvent(ctx, input.requestId, {
    type: "cancel",
    actor: ctx.actor,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  });
  return applied.request;
}

/** An admin approves alone with a written reason; audited as `promotion.break_glass`. */
export async function breakGlassPromotion(
  ctx: ServiceContext,
  input: { requestId: string; reason: string },
) {
  const applied = await applyEvent(ctx, input.requestId, {
    type: "break_glass",
    actor: ctx.actor,
    reason: input.reason,
  });
  return applied.request;
}

export async function expirePromotion(ctx: ServiceContext, requestId: string) {
  const applied = await applyEvent(ctx, requestId, { type: "expire" });
  return applied.request;
}

export interface ExpiryRunResult {
  /** Requests this run expired. */
  expired: string[];
  /**
   * Requests whose expiry failed for another reason than a refusal (a database error, a broken
   * row): each is left as it was and tried again on the next run; the others went on.
   */
  failed: { requestId: string; error: unknown }[];
}

/**
 * Closes every request whose approval window has elapsed, as the system: the function a
 * scheduler calls (every minute is plenty). Each request is expired in its own transaction and
 * its own `try`, oldest window first: a request decided meanwhile (a refusal) is skipped, and one
 * that fails is reported in `failed` without stopping the others.
 */
export async function expireDuePromotions(
  db: Database,
  now: Date = new Date(),
): Promise<ExpiryRunResult> {
  const due = await db
    .select({ id: promotionRequests.id, projectId: promotionRequests.projectId })
    .from(promotionRequests)
    .where(
      and(eq(promotionRequests.state, "awaiting_approval"), lte(promotionRequests.expiresAt, now)),
    )
    .orderBy(asc(promotionRequests.expiresAt), asc(promotionRequests.id));
  const result: ExpiryRunResult = { expired: [], failed: [] };
  for (const request of due) {
    try {
      await expirePromotion(
        {
          db,
          projectId: request.projectId,
          actor: SYSTEM_ACTOR,
          job: "expire-promotions",
          now: () => now,
        },
        request.id,
      );
      result.expired.push(request.id);
    } catch (error) {
      if (error instanceof ServiceError) continue;
      result.failed.push({ requestId: request.id, error });
    }
  }
  return result;
}
