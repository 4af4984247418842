import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";

import type { PromotionState } from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import {
  approvals,
  gateResults,
  models,
  modelVersions,
  promotionRequests,
  users,
} from "@plumbline/db/schema";

import { notFound } from "../service-error";
import { loadEvaluations, loadModelCardGaps } from "./gate-evidence";

/** Requests of a project, newest first, optionally by state (an approvals inbox: awaiting). */
export async function listPromotions(
  db: DatabaseOrTransaction,
  projectId: string,
  filter: {
    states?: PromotionState[];
    modelId?: string;
    modelVersionId?: string;
    limit?: number;
  } = {},
) {
  const conditions: SQL[] = [eq(promotionRequests.projectId, projectId)];
  if (filter.states && filter.states.length > 0) {
    conditions.push(inArray(promotionRequests.state, filter.states));
  }
  if (filter.modelId) conditions.push(eq(promotionRequests.modelId, filter.modelId));
  if (filter.modelVersionId) {
    conditions.push(eq(promotionRequests.modelVersionId, filter.modelVersionId));
  }
  return db
    .select({
      id: promotionRequests.id,
      state: promotionRequests.state,
      environment: promotionRequests.targetAlias,
      modelSlug: models.slug,
      version: modelVersions.version,
      modelVersionId: promotionRequests.modelVersionId,
      requesterId: promotionRequests.requesterId,
      requesterUserId: promotionRequests.requesterUserId,
      requesterName: users.name,
      versionCreatorId: promotionRequests.versionCreatorId,
      // For an inbox: the standing approvals, and who has decided already (voided ones excluded).
      approvalCount: sql<number>`(select count(*)::int from ${approvals} where ${approvals.requestId} = ${promotionRequests.id} and ${approvals.decision} = 'approve' and not ${approvals.voided})`,
      deciderIds: sql<
        string[]
      >`(select coalesce(array_agg(${approvals.approverId}::text), '{}') from ${approvals} where ${approvals.requestId} = ${promotionRequests.id} and not ${approvals.voided})`,
      requiredApprovals: promotionRequests.requiredApprovals,
      gateDecision: promotionRequests.gateDecision,
      expiresAt: promotionRequests.expiresAt,
      createdAt: promotionRequests.createdAt,
      updatedAt: promotionRequests.updatedAt,
    })
    .from(promotionRequests)
    .innerJoin(models, eq(models.id, promotionRequests.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, promotionRequests.modelVersionId))
    .leftJoin(users, sql`${users.id}::text = ${promotionRequests.requesterId}`)
    .where(and(...conditions))
    .orderBy(desc(promotionRequests.createdAt))
    .limit(filter.limit ?? 100);
}

/**
 * One request with the evidence an approver reviews side by side: its decisions, gate results,
 * the candidate's evaluations and card gaps, and the baseline recorded when it was requested.
 */
export async function getPromotion(
  db: DatabaseOrTransaction,
  projectId: string,
  requestId: string,
) {
  const [request] = await db
    .select()
    .from(promotionRequests)
    .where(and(eq(promotionRequests.id, requestId), eq(promotionRequests.projectId, projectId)));
  if (!request) throw notFound("promotion request");
  const [version] = await db
    .select()
    .from(modelVersions)
    .where(eq(modelVersions.id, request.modelVersionId));
  const [model] = await db
    .select({ slug: models.slug, name: models.name })
    .from(models)
    .where(eq(models.id, request.modelId));
  const decisions = await db
    .select({
      approverId: approvals.approverId,
      approverName: users.name,
      role: approvals.role,
      decision: approvals.decision,
      comment: approvals.comment,
      artifactDigest: approvals.artifactDigest,
      overridesFailedGates: approvals.overridesFailedGates,
      voided: approvals.voided,
      decidedAt: approvals.decidedAt,
    })
    .from(approvals)
    .innerJoin(users, eq(users.id, approvals.approverId))
    .where(eq(approvals.requestId, requestId))
    .orderBy(asc(approvals.decidedAt));
  const gates = await db
    .select()
    .from(gateResults)
    .where(eq(gateResults.requestId, requestId))
    .orderBy(asc(gateResults.position));
  const evaluations = await loadEvaluations(db, request.modelVersionId);
  // What the promotion replaces, as recorded when it was requested: after the alias moves, the
  // alias serves the candidate itself, so reading it now would compare the version with itself.
  const replaced =
    request.replacedVersionId === null
      ? null
      : ((
          await db
            .select({ version: modelVersions.version })
            .from(modelVersions)
            .where(eq(modelVersions.id, request.replacedVersionId))
        )[0] ?? null);
  const baseline =
    request.replacedVersionId === null
      ? null
      : {
          versionId: request.replacedVersionId,
          version: replaced?.version ?? null,
          metrics: request.replacedMetrics,
        };
  const card = await loadModelCardGaps(db, request.modelVersionId);
  return {
    request,
    model: model!,
    version: version!,
    decisions,
    gateResults: gates,
    evaluations,
    baseline,
    card,
  };
}
