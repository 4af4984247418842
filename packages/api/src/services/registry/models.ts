import { and, eq } from "drizzle-orm";

import { classLabelsOf, featureSchemaOf, type ModelSchema } from "@plumbline/contracts";
import { artifactDigestSchema, sha256OfCanonicalJson } from "@plumbline/governance";
import type { DatabaseOrTransaction, Transaction } from "@plumbline/db/client";
import {
  apiKeys,
  models,
  modelVersions,
  type ClassLabels,
  type FeatureSchema,
  type ModelSignature,
} from "@plumbline/db/schema";

import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { isUniqueViolation, lockSubject, withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";
import { invalidateOpenRequests } from "../promotions/invalidate";
import { createDefaultMonitors } from "../monitors/create-default-monitors";
import { linkVersionDatasets, type VersionDatasetInput } from "./lineage";

export interface RegisterModelInput {
  slug: string;
  name: string;
  description?: string;
  task?: (typeof models.$inferInsert)["task"];
  owner?: string;
  riskTier?: "low" | "medium" | "high" | "critical" | null;
  featureSchema?: FeatureSchema;
  /** The class labels versions registered without their own start with. */
  classLabels?: ClassLabels | null;
  sensitiveFeatures?: string[];
  /** A schema file: sets `featureSchema` and `classLabels`. */
  schema?: ModelSchema;
}

/** The model's columns a schema file sets. */
export function schemaColumnsOf(schema: ModelSchema) {
  return { featureSchema: featureSchemaOf(schema.features), classLabels: classLabelsOf(schema) };
}

export async function registerModel(ctx: ServiceContext, input: RegisterModelInput) {
  const { schema, ...fields } = input;
  const columns = { ...fields, ...(schema ? schemaColumnsOf(schema) : {}) };
  try {
    return await withRetryingTransaction(ctx.db, async (tx) => {
      const [model] = await tx
        .insert(models)
        .values({ projectId: ctx.projectId, ...columns, createdBy: userIdOf(ctx.actor) })
        .returning();
      await writeAudit(tx, ctx, {
        action: "model.registered",
        resourceType: "model",
        resourceId: model!.id,
        after: columns,
      });
      await enqueueEvent(tx, {
        projectId: ctx.projectId,
        eventType: "model.registered",
        resourceType: "model",
        resourceId: model!.id,
        payload: { modelId: model!.id, slug: model!.slug },
      });
      // Every model is watched from its first minute: the default monitors of its task.
      await createDefaultMonitors(tx, {
        projectId: ctx.projectId,
        modelId: model!.id,
        task: model!.task,
        createdBy: userIdOf(ctx.actor),
      });
      return model!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "models_project_slug_key")) {
      throw new ServiceError("CONFLICT", "model_exists", `A model "${input.slug}" already exists.`);
    }
    throw error;
  }
}

export async function findModel(db: DatabaseOrTransaction, projectId: string, slug: string) {
  const [model] = await db
    .select()
    .from(models)
    .where(and(eq(models.projectId, projectId), eq(models.slug, slug)));
  if (!model) throw notFound(`model "${slug}"`);
  return model;
}

/** A version of a project's model by slug and version name (what people and the CLI type). */
export async function findVersion(
  db: DatabaseOrTransaction,
  projectId: string,
  ref: { modelSlug: string; version: string },
) {
  const model = await findModel(db, projectId, ref.modelSlug);
  const [version] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, ref.version)));
  if (!version) throw notFound(`version ${ref.version} of "${ref.modelSlug}"`);
  return { model, version };
}

export interface RegisterVersionInput {
  modelId: string;
  version: string;
  description?: string;
  artifactUri: string;
  artifactDigest?: string | null;
  framework?: string;
  signature?: ModelSignature | null;
  code?: { repo: string; commit: string; dirty: boolean } | null;
  trainingConfig?: Record<string, unknown> | null;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  datasets?: VersionDatasetInput[];
  /** `ready` (default) freezes the version now; `registering` leaves it editable. */
  status?: "registering" | "ready";
  /** The output's class names; undefined copies the model's, null names none. */
  classLabels?: ClassLabels | null;
}

function checkDigest(digest: string | null | undefined, status: string): string | null {
  if (digest === null || digest === undefined) {
    if (status === "ready") {
      throw new ServiceError(
        "BAD_REQUEST",
        "artifact_digest_required",
        "A ready version needs its artifact digest (sha256:<64 hex>).",
      );
    }
    return null;
  }
  const parsed = artifactDigestSchema.safeParse(digest.trim().toLowerCase());
  if (!parsed.success) {
    throw new ServiceError(
      "BAD_REQUEST",
      "invalid_artifact_digest",
      "The artifact digest must be sha256:<64 hex digits>.",
    );
  }
  return parsed.data;
}

/** The user a version's creation is attributed to: the user, or the API key's owner. */
async function creatorOf(tx: Transaction, ctx: ServiceContext) {
  if (ctx.actor.type === "user") return { createdBy: ctx.actor.id, createdByApiKeyId: null };
  if (ctx.actor.type === "api_key") {
    const [key] = await tx
      .select({ createdBy: apiKeys.createdBy })
      .from(apiKeys)
      .where(eq(apiKeys.id, ctx.actor.id));
    return { createdBy: key?.createdBy ?? null, createdByApiKeyId: ctx.actor.id };
  }
  return { createdBy: null, createdByApiKeyId: null };
}

/**
 * Registers a version with its artifact, code, training config, datasets by role (as lineage
 * edges) and metrics. A `ready` version is immutable from then on (a trigger enforces it too).
 */
export async function registerVersion(ctx: ServiceContext, input: RegisterVersionInput) {
  const status = input.status ?? "ready";
  const artifactDigest = checkDigest(input.artifactDigest, status);
  try {
    return await withRetryingTransaction(ctx.db, async (tx) => {
      const [model] = await tx
        .select({ id: models.id, classLabels: models.classLabels })
        .from(models)
        .where(and(eq(models.id, input.modelId), eq(models.projectId, ctx.projectId)));
      if (!model) throw notFound("model");
      const classLabels = input.classLabels === undefined ? model.classLabels : input.classLabels;
      // Datasets are linked before the version turns ready: from then on its lineage is frozen
      // (a trigger refuses new dataset edges to a version that has been ready).
      const [inserted] = await tx
        .insert(modelVersions)
        .values({
          modelId: input.modelId,
          version: input.version,
          status: "registering",
          description: input.description ?? "",
          artifactUri: input.artifactUri,
          artifactDigest,
          framework: input.framework ?? "",
          signature: input.signature ?? null,
          classLabels,
          codeRepo: input.code?.repo ?? null,
          codeCommit: input.code?.commit ?? null,
          codeDirty: input.code?.dirty ?? null,
          trainingConfig: input.trainingConfig ?? null,
          trainingConfigHash: input.trainingConfig
            ? sha256OfCanonicalJson(input.trainingConfig)
            : null,
          metrics: input.metrics ?? {},
          tags: input.tags ?? {},
          ...(await creatorOf(tx, ctx)),
        })
        .returning();
      await linkVersionDatasets(tx, ctx, inserted!.id, input.datasets ?? []);
      const [version] =
        status === "ready"
          ? await tx
              .update(modelVersions)
              .set({ status, readyAt: new Date() })
              .where(eq(modelVersions.id, inserted!.id))
              .returning()
          : [inserted];
      await writeAudit(tx, ctx, {
        action: "model_version.registered",
        resourceType: "model_version",
        resourceId: version!.id,
        after: { ...input, artifactDigest, status, classLabels },
      });
      await enqueueEvent(tx, {
        projectId: ctx.projectId,
        eventType: status === "ready" ? "model_version.ready" : "model_version.registered",
        resourceType: "model_version",
        resourceId: version!.id,
        payload: { modelId: input.modelId, version: input.version, artifactDigest, status },
      });
      return version!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ServiceError(
        "CONFLICT",
        "version_exists",
        `Version ${input.version} already exists for this model.`,
      );
    }
    throw error;
  }
}

/** Finishes a `registering` version: `ready` (with a digest) freezes it; `failed` abandons it. */
export async function completeVersionRegistration(
  ctx: ServiceContext,
  input: { versionId: string; status: "ready" | "failed"; artifactDigest?: string },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", input.versionId);
    const version = await versionInProject(tx, ctx.projectId, input.versionId);
    if (version.status !== "registering") {
      throw new ServiceError(
        "CONFLICT",
        "version_immutable",
        `The version is already ${version.status}; a registered version never changes.`,
      );
    }
    const artifactDigest =
      checkDigest(input.artifactDigest ?? version.artifactDigest, input.status) ??
      version.artifactDigest;
    const [updated] = await tx
      .update(modelVersions)
      .set({
        status: input.status,
        artifactDigest,
        readyAt: input.status === "ready" ? new Date() : null,
      })
      .where(eq(modelVersions.id, version.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: `model_version.${input.status}`,
      resourceType: "model_version",
      resourceId: version.id,
      before: { status: version.status },
      after: { status: input.status, artifactDigest },
    });
    if (input.status === "ready") {
      await enqueueEvent(tx, {
        projectId: ctx.projectId,
        eventType: "model_version.ready",
        resourceType: "model_version",
        resourceId: version.id,
        payload: { modelId: version.modelId, version: version.version, artifactDigest },
      });
    }
    return updated!;
  });
}

/**
 * Records a re-hash of the stored artifact (by a deployer or CI before serving it). A digest
 * that differs from the registered one means the artifact changed under its version: the version
 * is marked `failed` and every open request for it becomes stale (`artifact_changed`), in one
 * transaction.
 */
export async function reportArtifactDigest(
  ctx: ServiceContext,
  input: { versionId: string; observedDigest: string },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", input.versionId);
    const version = await versionInProject(tx, ctx.projectId, input.versionId);
    const observed = input.observedDigest.trim().toLowerCase();
    if (observed === version.artifactDigest) {
      await writeAudit(tx, ctx, {
        action: "model_version.artifact_verified",
        resourceType: "model_version",
        resourceId: version.id,
        after: { artifactDigest: observed },
      });
      return { matches: true as const, staleRequestIds: [] as string[] };
    }
    const staleRequestIds = await invalidateOpenRequests(
      tx,
      ctx,
      { modelVersionId: version.id },
      "artifact_changed",
      `registered ${version.artifactDigest ?? "none"}, observed ${observed}`,
    );
    await tx
      .update(modelVersions)
      .set({ status: "failed" })
      .where(eq(modelVersions.id, version.id));
    const payload = {
      modelId: version.modelId,
      version: version.version,
      registeredDigest: version.artifactDigest,
      observedDigest: observed,
      staleRequestIds,
    };
    await writeAudit(tx, ctx, {
      action: "model_version.artifact_mismatch",
      resourceType: "model_version",
      resourceId: version.id,
      before: { status: version.status, artifactDigest: version.artifactDigest },
      after: { status: "failed", observedDigest: observed },
    });
    await enqueueEvent(tx, {
      projectId: ctx.projectId,
      eventType: "model_version.artifact_mismatch",
      resourceType: "model_version",
      resourceId: version.id,
      payload,
    });
    return { matches: false as const, staleRequestIds };
  });
}

export async function versionInProject(
  db: DatabaseOrTransaction,
  projectId: string,
  versionId: string,
) {
  const [row] = await db
    .select({ version: modelVersions })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(modelVersions.id, versionId), eq(models.projectId, projectId)));
  if (!row) throw notFound("model version");
  return row.version;
}
