import { z } from "zod";

import { modelSchemaOf } from "@plumbline/contracts";
import type {
  SetClassLabelsRequest,
  SetModelSchemaRequest,
  CompleteVersionRequest,
  EvaluationPosted,
  ModelSummary,
  PostEvaluationRequest,
  PromotionStatus,
  RegisterModelRequest,
  RegisterVersionRequest,
  VersionDataset,
  VersionSummary,
} from "@plumbline/contracts";
import { postEvaluation, type EvaluationInput } from "@plumbline/api/services/registry/evaluations";
import {
  registerDatasetVersion,
  versionDatasets,
  type VersionDatasetInput,
} from "@plumbline/api/services/registry/lineage";
import {
  completeVersionRegistration,
  findModel,
  findVersion,
  registerModel,
  registerVersion,
} from "@plumbline/api/services/registry/models";
import {
  setModelSchema,
  setVersionClassLabels,
} from "@plumbline/api/services/registry/model-schema";
import { getPromotion } from "@plumbline/api/services/promotions/promotion-queries";
import { requestPromotion } from "@plumbline/api/services/promotions/request-promotion";
import type { Model, ModelVersion } from "@plumbline/db/schema";

import { assertModelAllowed, type ApiKeyCaller } from "./authenticate-api-key";
import { RestError } from "./rest-error";

/**
 * What each `/api/v1` endpoint does once its key is authenticated and its body parsed: checks
 * the key's model allow-list, calls the governance services as the key and shapes the answer.
 */

function toModelSummary(model: Model): ModelSummary {
  return {
    id: model.id,
    slug: model.slug,
    name: model.name,
    description: model.description,
    task: model.task ?? null,
    schema: modelSchemaOf(model),
    createdAt: model.createdAt.toISOString(),
  };
}

async function toVersionSummary(
  caller: ApiKeyCaller,
  modelSlug: string,
  version: ModelVersion,
): Promise<VersionSummary> {
  const datasets = await versionDatasets(caller.ctx.db, version.id);
  return {
    id: version.id,
    model: modelSlug,
    version: version.version,
    status: version.status,
    artifactUri: version.artifactUri,
    artifactDigest: version.artifactDigest,
    framework: version.framework,
    code:
      version.codeCommit === null
        ? null
        : {
            repo: version.codeRepo ?? "",
            commit: version.codeCommit,
            dirty: version.codeDirty ?? false,
          },
    metrics: version.metrics,
    classLabels: version.classLabels,
    datasets: datasets.map((dataset) => ({
      role: dataset.role,
      name: dataset.name,
      version: dataset.version,
      digest: dataset.digest,
    })),
    createdAt: version.createdAt.toISOString(),
  };
}

export async function listModels(caller: ApiKeyCaller) {
  const rows = await caller.ctx.db.query.models.findMany({
    where: (model, { eq }) => eq(model.projectId, caller.ctx.projectId),
    orderBy: (model, { asc }) => asc(model.slug),
  });
  const allowList = caller.key.modelAllowList;
  return {
    models: rows
      .filter((model) => allowList === null || allowList.includes(model.slug))
      .map(toModelSummary),
  };
}

export async function createModel(caller: ApiKeyCaller, input: RegisterModelRequest) {
  assertModelAllowed(caller, input.slug);
  return toModelSummary(await registerModel(caller.ctx, input));
}

/** Replaces a model's schema: features and the class labels new versions start with. */
export async function putModelSchema(
  caller: ApiKeyCaller,
  modelSlug: string,
  schema: SetModelSchemaRequest,
) {
  assertModelAllowed(caller, modelSlug);
  const model = await findModel(caller.ctx.db, caller.ctx.projectId, modelSlug);
  return toModelSummary(await setModelSchema(caller.ctx, { modelId: model.id, schema }));
}

/** Sets a registering version's class labels (a ready version answers 409). */
export async function putVersionClassLabels(
  caller: ApiKeyCaller,
  ref: { modelSlug: string; version: string },
  input: SetClassLabelsRequest,
) {
  assertModelAllowed(caller, ref.modelSlug);
  const { version } = await findVersion(caller.ctx.db, caller.ctx.projectId, ref);
  const updated = await setVersionClassLabels(caller.ctx, {
    versionId: version.id,
    classLabels: input.classLabels,
  });
  return toVersionSummary(caller, ref.modelSlug, updated);
}

export async function getModel(caller: ApiKeyCaller, modelSlug: string) {
  assertModelAllowed(caller, modelSlug);
  const model = await findModel(caller.ctx.db, caller.ctx.projectId, modelSlug);
  return toModelSummary(model);
}

export async function listVersions(caller: ApiKeyCaller, modelSlug: string) {
  assertModelAllowed(caller, modelSlug);
  const model = await findModel(caller.ctx.db, caller.ctx.projectId, modelSlug);
  const rows = await caller.ctx.db.query.modelVersions.findMany({
    where: (version, { eq }) => eq(version.modelId, model.id),
    orderBy: (version, { desc }) => desc(version.createdAt),
    limit: 100,
  });
  const versions = [];
  for (const row of rows) versions.push(await toVersionSummary(caller, modelSlug, row));
  return { versions };
}

/**
 * The dataset version a registration names by content: reused when the same name and version
 * already exist with the same digest, registered otherwise. Dataset versions are immutable, so
 * one that exists with another digest is a conflict.
 */
async function resolveDatasetVersion(
  caller: ApiKeyCaller,
  dataset: VersionDataset,
): Promise<VersionDatasetInput> {
  const version = dataset.version ?? dataset.digest.slice("sha256:".length, "sha256:".length + 12);
  const existing = await findDatasetVersion(caller, dataset.name, version);
  if (existing) {
    if (existing.digest !== dataset.digest) {
      throw new RestError(
        409,
        "dataset_digest_mismatch",
        `Dataset ${dataset.name} version ${version} is registered with digest ` +
          `${existing.digest}, not ${dataset.digest}.`,
      );
    }
    return { datasetVersionId: existing.id, role: dataset.role };
  }
  const registered = await registerDatasetVersion(caller.ctx, {
    datasetName: dataset.name,
    version,
    digest: dataset.digest,
    split: dataset.role,
    ...(dataset.uri === undefined ? {} : { uri: dataset.uri }),
    ...(dataset.rowCount === undefined ? {} : { rowCount: dataset.rowCount }),
  });
  return { datasetVersionId: registered.version.id, role: dataset.role };
}

async function findDatasetVersion(caller: ApiKeyCaller, name: string, version: string) {
  const dataset = await caller.ctx.db.query.datasets.findFirst({
    where: (row, { and, eq }) => and(eq(row.projectId, caller.ctx.projectId), eq(row.name, name)),
  });
  if (!dataset) return undefined;
  return caller.ctx.db.query.datasetVersions.findFirst({
    where: (row, { and, eq }) => and(eq(row.datasetId, dataset.id), eq(row.version, version)),
  });
}

export async function createVersion(
  caller: ApiKeyCaller,
  modelSlug: string,
  input: RegisterVersionRequest,
) {
  assertModelAllowed(caller, modelSlug);
  const model = await findModel(caller.ctx.db, caller.ctx.projectId, modelSlug);
  const datasets: VersionDatasetInput[] = [];
  for (const dataset of input.datasets ?? []) {
    datasets.push(await resolveDatasetVersion(caller, dataset));
  }
  const version = await registerVersion(caller.ctx, { ...input, modelId: model.id, datasets });
  return toVersionSummary(caller, modelSlug, version);
}

export async function completeVersion(
  caller: ApiKeyCaller,
  ref: { modelSlug: string; version: string },
  input: CompleteVersionRequest,
) {
  assertModelAllowed(caller, ref.modelSlug);
  const { version } = await findVersion(caller.ctx.db, caller.ctx.projectId, ref);
  const completed = await completeVersionRegistration(caller.ctx, {
    versionId: version.id,
    status: input.status,
    ...(input.artifactDigest === undefined ? {} : { artifactDigest: input.artifactDigest }),
  });
  return toVersionSummary(caller, ref.modelSlug, completed);
}

export async function createEvaluation(
  caller: ApiKeyCaller,
  ref: { modelSlug: string; version: string },
  evaluation: PostEvaluationRequest,
): Promise<EvaluationPosted> {
  assertModelAllowed(caller, ref.modelSlug);
  const { version } = await findVersion(caller.ctx.db, caller.ctx.projectId, ref);
  // The service parses the evaluation in full and answers 400 naming what is wrong.
  const posted = await postEvaluation(caller.ctx, {
    versionId: version.id,
    evaluation: evaluation as EvaluationInput,
  });
  return {
    id: posted.evaluation.id,
    kind: posted.evaluation.kind,
    outcome: posted.evaluation.outcome,
    staleRequestIds: posted.staleRequestIds,
  };
}

export async function createPromotionRequest(
  caller: ApiKeyCaller,
  ref: { modelSlug: string; version: string },
  input: { environment: string; justification: string },
) {
  assertModelAllowed(caller, ref.modelSlug);
  const { version } = await findVersion(caller.ctx.db, caller.ctx.projectId, ref);
  const request = await requestPromotion(caller.ctx, {
    modelVersionId: version.id,
    environmentName: input.environment,
    justification: input.justification,
  });
  return getPromotionStatus(caller, request.id);
}

const promotionId = z.uuid();

export async function getPromotionStatus(
  caller: ApiKeyCaller,
  id: string,
): Promise<PromotionStatus> {
  if (!promotionId.safeParse(id).success) {
    throw new RestError(404, "not_found", `No promotion request "${id}".`);
  }
  const promotion = await getPromotion(caller.ctx.db, caller.ctx.projectId, id);
  const { request, version, decisions, gateResults } = promotion;
  const model = await caller.ctx.db.query.models.findFirst({
    where: (row, { eq }) => eq(row.id, request.modelId),
  });
  const modelSlug = model?.slug ?? "";
  assertModelAllowed(caller, modelSlug);
  const count = (outcome: string) =>
    gateResults.filter((result) => result.outcome === outcome).length;
  return {
    id: request.id,
    state: request.state,
    model: modelSlug,
    version: version.version,
    environment: request.targetAlias,
    artifactDigest: request.artifactDigest,
    requiredApprovals: request.requiredApprovals,
    approvals: decisions.filter((d) => d.decision === "approve" && !d.voided).length,
    gateDecision: request.gateDecision ?? null,
    justification: request.justification,
    expiresAt: request.expiresAt?.toISOString() ?? null,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    gates: {
      passed: count("pass"),
      failed: count("fail"),
      other: gateResults.length - count("pass") - count("fail"),
      results: gateResults.map((result) => ({
        ruleId: result.ruleId,
        kind: result.ruleKind,
        subject: result.subject,
        outcome: result.outcome,
        onFail: result.onFail,
        message: result.message,
      })),
    },
    decisions: decisions.map((decision) => ({
      approver: decision.approverName,
      role: decision.role,
      decision: decision.decision,
      comment: decision.comment ?? null,
      voided: decision.voided,
      decidedAt: decision.decidedAt.toISOString(),
    })),
  };
}
