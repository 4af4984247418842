import { and, eq, inArray, ne, type SQL } from "drizzle-orm";

import type { InvalidationCause } from "@plumbline/governance";
import type { Transaction } from "@plumbline/db/client";
import { promotionRequests } from "@plumbline/db/schema";

import type { ServiceContext } from "../service-context";
import { applyEventInTransaction } from "./apply-event";

/** The open states `invalidate` accepts (a deploying request has already been acted on). */
const INVALIDATABLE = ["checks_running", "awaiting_approval", "approved"] as const;

/**
 * Makes every open request that rests on changed evidence `stale` (spec: "artifact / card /
 * policy changed -> stale; approvals void"), in the caller's transaction, as the system. A lost
 * optimistic lock aborts the caller's transaction, which then retries from a fresh read.
 */
export async function invalidateOpenRequests(
  tx: Transaction,
  ctx: ServiceContext,
  target: { modelVersionId: string } | { environmentId: string; unlessPolicyHash: string },
  cause: InvalidationCause,
  detail?: string,
): Promise<string[]> {
  const conditions: SQL[] = [
    eq(promotionRequests.projectId, ctx.projectId),
    inArray(promotionRequests.state, [...INVALIDATABLE]),
  ];
  if ("modelVersionId" in target) {
    conditions.push(eq(promotionRequests.modelVersionId, target.modelVersionId));
  } else {
    conditions.push(
      eq(promotionRequests.environmentId, target.environmentId),
      ne(promotionRequests.policyHash, target.unlessPolicyHash),
    );
  }
  const open = await tx
    .select({ id: promotionRequests.id })
    .from(promotionRequests)
    .where(and(...conditions))
    .orderBy(promotionRequests.id);
  const system = { ...ctx, actor: { type: "system", id: "system" } as const };
  for (const { id } of open) {
    await applyEventInTransaction(tx, system, id, {
      type: "invalidate",
      cause,
      ...(detail === undefined ? {} : { detail }),
    });
  }
  return open.map(({ id }) => id);
}
