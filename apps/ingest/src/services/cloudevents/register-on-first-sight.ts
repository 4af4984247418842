import { appendAudit } from "@plumbline/db/audit";
import type { Database, SqlClient } from "@plumbline/db/client";
import { models, modelVersions, type ApiKey } from "@plumbline/db/schema";
import { and, eq } from "drizzle-orm";

import { cloudEventModel, type ResolvedCloudEventModel } from "./cloudevent-model";

/** The version a model's first CloudEvent registers when the payload reports none (V1, Seldon). */
export const FIRST_SIGHT_VERSION = "1";

const FIRST_SIGHT_NOTE = "Registered by ingest on first sight of a CloudEvent";

/**
 * The model a CloudEvent names, registering what is missing:
 * - a registered model without any version gets one (the version a V2 response reports, else
 *   "1"), so pointing a logger at Plumbline right after `plumbline model register` works;
 * - a model the project does not have is registered only when the project allows it
 *   (`projects.auto_register_models`), otherwise null (the event is refused as unknown_model);
 * - a version a V2 response reports that is not registered is added under the same setting.
 *
 * Versions created here stay `registering` (their class labels remain editable) and take the
 * model's class labels. Every creation is audited as the API key, like a registration over the
 * registry API; concurrent first events are safe (`on conflict do nothing`, then re-read).
 */
export async function resolveOnFirstSight(
  { sql, db }: { sql: SqlClient; db: Database },
  apiKey: Pick<ApiKey, "id" | "projectId">,
  slug: string,
  reportedVersion: string | null,
): Promise<ResolvedCloudEventModel | null> {
  const [found] = await cloudEventModel(sql, { projectId: apiKey.projectId, slug });
  const missingVersion =
    found &&
    (found.versions.length === 0 ||
      (reportedVersion !== null && !found.versions.includes(reportedVersion)));
  if (found && !missingVersion) return found;

  // A registered model with versions gets a reported version only where the project allows it.
  if (found && found.versions.length > 0 && !found.autoRegisterModels) return found;
  if (!found) {
    const [project] = await sql<{ auto_register_models: boolean }[]>`
      select auto_register_models from projects where id = ${apiKey.projectId}`;
    if (!project?.auto_register_models) return null;
  }

  const actor = { type: "api_key", id: apiKey.id } as const;
  await db.transaction(async (tx) => {
    let modelId = found?.id;
    if (!modelId) {
      const [created] = await tx
        .insert(models)
        .values({
          projectId: apiKey.projectId,
          slug,
          name: slug,
          task: "other",
          description: FIRST_SIGHT_NOTE,
        })
        .onConflictDoNothing()
        .returning({ id: models.id });
      if (created) {
        await appendAudit(tx, actor, {
          projectId: apiKey.projectId,
          action: "model.registered",
          resourceType: "model",
          resourceId: created.id,
          after: { slug, name: slug, task: "other", source: "cloudevent" },
        });
      }
    }
    const [model] = await tx
      .select({ id: models.id, classLabels: models.classLabels })
      .from(models)
      .where(and(eq(models.projectId, apiKey.projectId), eq(models.slug, slug)));
    modelId = model!.id;
    const version = reportedVersion ?? FIRST_SIGHT_VERSION;
    const [inserted] = await tx
      .insert(modelVersions)
      .values({
        modelId,
        version,
        status: "registering",
        description: FIRST_SIGHT_NOTE,
        classLabels: model!.classLabels,
        createdByApiKeyId: apiKey.id,
      })
      .onConflictDoNothing()
      .returning({ id: modelVersions.id });
    if (inserted) {
      await appendAudit(tx, actor, {
        projectId: apiKey.projectId,
        action: "model_version.registered",
        resourceType: "model_version",
        resourceId: inserted.id,
        after: { model: slug, version, status: "registering", source: "cloudevent" },
      });
    }
  });
  const [resolved] = await cloudEventModel(sql, { projectId: apiKey.projectId, slug });
  return resolved ?? null;
}
