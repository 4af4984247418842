import { and, eq } from "drizzle-orm";

import { modelSchemaOf, type ClassLabels, type ModelSchema } from "@plumbline/contracts";
import { models, modelVersions, projects } from "@plumbline/db/schema";

import { writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { lockSubject, withRetryingTransaction } from "../transactions";
import { schemaColumnsOf, versionInProject } from "./models";

/**
 * A model's schema: its features (names, types, positions in positional payloads) on the model,
 * its class labels on each version (copied from the model's when a version registers none).
 * Ingest names positional KServe / Seldon inputs and class indices with them.
 */

/** Replaces a model's feature schema and default class labels, audited with before and after. */
export async function setModelSchema(
  ctx: ServiceContext,
  input: { modelId: string; schema: ModelSchema },
) {
  const columns = schemaColumnsOf(input.schema);
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [model] = await tx
      .select()
      .from(models)
      .where(and(eq(models.id, input.modelId), eq(models.projectId, ctx.projectId)))
      .for("update");
    if (!model) throw notFound("model");
    const [updated] = await tx
      .update(models)
      .set(columns)
      .where(eq(models.id, model.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: "model.schema_changed",
      resourceType: "model",
      resourceId: model.id,
      before: modelSchemaOf(model),
      after: modelSchemaOf(updated!),
    });
    return updated!;
  });
}

/**
 * Sets (or clears, with null) a version's class labels. Allowed while the version is
 * `registering`: once it has been ready it is frozen, class labels included (a trigger refuses
 * the change too).
 */
export async function setVersionClassLabels(
  ctx: ServiceContext,
  input: { versionId: string; classLabels: ClassLabels | null },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", input.versionId);
    const version = await versionInProject(tx, ctx.projectId, input.versionId);
    if (version.status !== "registering" || version.readyAt !== null) {
      throw new ServiceError(
        "CONFLICT",
        "version_immutable",
        `Version ${version.version} is ${version.status}; class labels can change only while a version is registering.`,
      );
    }
    const [updated] = await tx
      .update(modelVersions)
      .set({ classLabels: input.classLabels })
      .where(eq(modelVersions.id, version.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: "model_version.class_labels_changed",
      resourceType: "model_version",
      resourceId: version.id,
      before: { classLabels: version.classLabels },
      after: { classLabels: input.classLabels },
    });
    return updated!;
  });
}

/** Whether ingest may register models on first sight of a CloudEvent (audited). */
export async function setAutoRegisterModels(ctx: ServiceContext, input: { enabled: boolean }) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, ctx.projectId));
    if (!project) throw notFound("project");
    await tx
      .update(projects)
      .set({ autoRegisterModels: input.enabled })
      .where(eq(projects.id, ctx.projectId));
    await writeAudit(tx, ctx, {
      action: "project.auto_register_models_changed",
      resourceType: "project",
      resourceId: ctx.projectId,
      before: { autoRegisterModels: project.autoRegisterModels },
      after: { autoRegisterModels: input.enabled },
    });
    return { autoRegisterModels: input.enabled };
  });
}
