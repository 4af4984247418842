import { randomUUID } from "node:crypto";

import { and, eq, inArray } from "drizzle-orm";

import {
  createPromotionRequest as createRequest,
  effectiveGateRules,
  evaluateGates,
  OPEN_PROMOTION_STATES,
  type PromotionRequest,
} from "@plumbline/governance";
import type { Transaction } from "@plumbline/db/client";
import {
  apiKeys,
  gateResults,
  models,
  modelVersions,
  promotionRequests,
} from "@plumbline/db/schema";

import { currentTime, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { isUniqueViolation, lockSubject, withRetryingTransaction } from "../transactions";
import { applyEventInTransaction, writeEffects } from "./apply-event";
import { findEnvironment } from "./environments";
import { loadBaselineMetrics, loadEvaluations, loadModelCardGaps } from "./gate-evidence";
import { policyOf } from "./gate-policies";
import { promotionRefusal } from "./promotion-refusal";
import { loadPromotion } from "./promotion-record";

export interface RequestPromotionInput {
  modelVersionId: string;
  environmentName: string;
  justification: string;
}

/**
 * Opens a request in `checks_running` (spec: "create (engineer or CI key; version ready; no open
 * request for version+environment)"), snapshotting the artifact digest, the environment's policy
 * and its hash, and the model card's hash. Gates run next, in their own transaction
 * ({@link runPromotionGates}); {@link requestPromotion} does both.
 */
export async function createPromotion(
  ctx: ServiceContext,
  input: RequestPromotionInput,
): Promise<PromotionRequest> {
  const environment = await findEnvironment(ctx.db, ctx.projectId, input.environmentName);
  try {
    return await withRetryingTransaction(ctx.db, async (tx) => {
      await lockSubject(tx, "model_version", input.modelVersionId);
      await lockSubject(tx, "environment", environment.id);
      const [version] = await tx
        .select({
          id: modelVersions.id,
          modelId: modelVersions.modelId,
          status: modelVersions.status,
          artifactDigest: modelVersions.artifactDigest,
          createdBy: modelVersions.createdBy,
        })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(
          and(eq(modelVersions.id, input.modelVersionId), eq(models.projectId, ctx.projectId)),
        );
      if (!version) throw notFound("model version");
      const { policy, policyHash } = await policyOf(tx, environment);
      const open = await tx
        .select({ id: promotionRequests.id })
        .from(promotionRequests)
        .where(
          and(
            eq(promotionRequests.modelVersionId, version.id),
            eq(promotionRequests.environmentId, environment.id),
            inArray(promotionRequests.state, [...OPEN_PROMOTION_STATES]),
          ),
        );
      const card = await loadModelCardGaps(tx, version.id);
      const replaced = await loadBaselineMetrics(tx, version.modelId, environment.name);
      const transition = createRequest(
        {
          id: randomUUID(),
          modelVersionId: version.id,
          versionStatus: version.status,
          versionCreatorId: version.createdBy ?? "",
          artifactDigest: version.artifactDigest ?? "",
          environment: environment.kind,
          targetAlias: environment.name,
          requester: ctx.actor,
          apiKeyCreatorId: await apiKeyCreatorOf(tx, ctx),
          policy,
          justification: input.justification,
          openRequestExists: open.length > 0,
        },
        { now: currentTime(ctx) },
      );
      if (!transition.ok) throw promotionRefusal(transition.error);
      const { request } = transition;
      await tx.insert(promotionRequests).values({
        id: request.id,
        projectId: ctx.projectId,
        modelId: version.modelId,
        modelVersionId: version.id,
        environmentId: environment.id,
        environmentKind: environment.kind,
        targetAlias: request.targetAlias,
        requesterType: ctx.actor.type,
        requesterId: request.requesterId,
        requesterUserId: request.requesterUserId,
        versionCreatorId: request.versionCreatorId,
        state: request.state,
        artifactDigest: request.artifactDigest,
        policy: request.policy,
        policyHash,
        modelCardHash: card.contentHash,
        replacedVersionId: replaced?.versionId ?? null,
        replacedMetrics: replaced?.metrics ?? [],
        requiredApprovals: request.requiredApprovals,
        justification: request.justification,
        gateWarnings: request.gateWarnings,
        createdAt: request.createdAt,
        updatedAt: request.updatedAt,
        version: request.version,
      });
      await writeEffects(
        tx,
        ctx,
        { projectId: ctx.projectId, modelId: version.modelId },
        request,
        transition.effects,
      );
      return request;
    });
  } catch (error) {
    if (isUniqueViolation(error, "promotion_requests_one_open_key")) {
      throw new ServiceError(
        "CONFLICT",
        "open_request_exists",
        `An open promotion request already exists for this version in ${environment.name}.`,
      );
    }
    throw error;
  }
}

/** The creator of the API key acting in `ctx`, or null (a user, the system, an unknown key). */
async function apiKeyCreatorOf(tx: Transaction, ctx: ServiceContext): Promise<string | null> {
  if (ctx.actor.type !== "api_key") return null;
  const [key] = await tx
    .select({ createdBy: apiKeys.createdBy })
    .from(apiKeys)
    .where(eq(apiKeys.id, ctx.actor.id));
  return key?.createdBy ?? null;
}

/**
 * Evaluates the snapshotted policy's gates against the version's evidence (evaluations, the
 * baseline recorded when the request was made, the model card), stores every result, and applies
 * `gates_finished`. Results are kept even when the request has moved on (break-glass already
 * approved it): the refusal is then returned, not thrown.
 */
export async function runPromotionGates(ctx: ServiceContext, requestId: string) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const loaded = await loadPromotion(tx, requestId);
    if (!loaded || loaded.row.projectId !== ctx.projectId) throw notFound("promotion request");
    const { row, request } = loaded;
    const evaluations = await loadEvaluations(tx, row.modelVersionId);
    const card = await loadModelCardGaps(tx, row.modelVersionId);
    const results = evaluateGates({
      rules: effectiveGateRules(request.policy),
      evaluations,
      baselineMetrics: row.replacedVersionId === null ? null : row.replacedMetrics,
      modelCardMissingSections: card.missing,
      minGroupSize: request.policy.minGroupSize,
    });
    const now = currentTime(ctx);
    await tx.delete(gateResults).where(eq(gateResults.requestId, requestId));
    if (results.length > 0) {
      await tx.insert(gateResults).values(
        results.map((result, position) => ({
          requestId,
          ruleId: result.ruleId,
          ruleKind: result.rule.kind,
          rule: result.rule,
          subject: result.subject,
          observed: result.observed,
          threshold: result.threshold,
          comparator: result.comparator,
          outcome: result.outcome,
          onFail: result.onFail,
          message: result.message,
          position,
          evaluatedAt: now,
        })),
      );
    }
    const system = { ...ctx, actor: { type: "system", id: "system" } as const };
    if (request.state !== "checks_running") {
      await writeAudit(tx, system, {
        action: "promotion.gate_results_recorded",
        resourceType: "promotion_request",
        resourceId: requestId,
        after: { state: request.state, results: results.length },
        reason: `gates finished after the request was ${request.state}`,
      });
      return { request, results, applied: false as const };
    }
    const applied = await applyEventInTransaction(tx, system, requestId, {
      type: "gates_finished",
      results,
    });
    return { request: applied.request, results, applied: true as const };
  });
}

/** Creates the request and runs its gates: what the API and the CLI call. */
export async function requestPromotion(ctx: ServiceContext, input: RequestPromotionInput) {
  const created = await createPromotion(ctx, input);
  const gated = await runPromotionGates(ctx, created.id);
  return gated.request;
}
