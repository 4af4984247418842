import { asc, eq } from "drizzle-orm";

import { gatePolicySchema, type GateDecision, type PromotionRequest } from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import {
  approvals,
  promotionRequests,
  type ApprovalRow,
  type PromotionRequestRow,
} from "@plumbline/db/schema";

/** A stored request: its row (project, model, environment ids) and the machine's view of it. */
export interface LoadedPromotion {
  row: PromotionRequestRow;
  request: PromotionRequest;
}

/** `promotion_requests` plus its `approvals` rows, as the governance state machine sees them. */
export function toPromotionRequest(
  row: PromotionRequestRow,
  decisions: readonly ApprovalRow[],
): PromotionRequest {
  return {
    id: row.id,
    modelVersionId: row.modelVersionId,
    environment: row.environmentKind,
    targetAlias: row.targetAlias,
    requesterId: row.requesterId,
    requesterUserId: row.requesterUserId,
    versionCreatorId: row.versionCreatorId,
    state: row.state,
    artifactDigest: row.artifactDigest,
    policy: gatePolicySchema.parse(row.policy),
    policyHash: row.policyHash,
    requiredApprovals: row.requiredApprovals,
    justification: row.justification,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    expiresAt: row.expiresAt,
    decisions: decisions.map((decision) => ({
      approverId: decision.approverId,
      role: decision.role,
      decision: decision.decision,
      comment: decision.comment,
      artifactDigest: decision.artifactDigest,
      decidedAt: decision.decidedAt,
      overridesFailedGates: decision.overridesFailedGates,
      voided: decision.voided,
    })),
    gateDecision: row.gateDecision as GateDecision | null,
    gateWarnings: row.gateWarnings,
    approvedVia: row.approvedVia as PromotionRequest["approvedVia"],
    breakGlass:
      row.breakGlassActorId === null || row.breakGlassAt === null
        ? null
        : {
            actorId: row.breakGlassActorId,
            reason: row.breakGlassReason ?? "",
            at: row.breakGlassAt,
          },
    closedReason: row.closedReason,
    version: row.version,
  };
}

/** The columns an accepted event may change (the snapshots never change). */
export function mutableColumns(request: PromotionRequest) {
  return {
    state: request.state,
    requiredApprovals: request.requiredApprovals,
    gateDecision: request.gateDecision,
    gateWarnings: request.gateWarnings,
    approvedVia: request.approvedVia,
    breakGlassActorId: request.breakGlass?.actorId ?? null,
    breakGlassReason: request.breakGlass?.reason ?? null,
    breakGlassAt: request.breakGlass?.at ?? null,
    closedReason: request.closedReason,
    expiresAt: request.expiresAt,
    updatedAt: request.updatedAt,
    version: request.version,
  };
}

/** Reads a request and its decisions without locking (optimistic: the write checks `version`). */
export async function loadPromotion(
  db: DatabaseOrTransaction,
  requestId: string,
): Promise<LoadedPromotion | null> {
  const [row] = await db
    .select()
    .from(promotionRequests)
    .where(eq(promotionRequests.id, requestId));
  if (!row) return null;
  const decisions = await db
    .select()
    .from(approvals)
    .where(eq(approvals.requestId, requestId))
    .orderBy(asc(approvals.decidedAt), asc(approvals.id));
  return { row, request: toPromotionRequest(row, decisions) };
}
