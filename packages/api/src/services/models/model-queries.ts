import { and, asc, count, eq, gte, inArray, sql } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { modelVersions, models, predictionRollupsMinute } from "@plumbline/db/schema";

import { notFound } from "../service-error";

const HOUR_MS = 60 * 60_000;

/** The project's models by name, with their version count and the last hour's prediction count. */
export async function listModelSummaries(
  db: DatabaseOrTransaction,
  projectId: string,
  now: Date = new Date(),
) {
  const rows = await db
    .select()
    .from(models)
    .where(eq(models.projectId, projectId))
    .orderBy(asc(models.name));
  const modelIds = rows.map((row) => row.id);
  if (modelIds.length === 0) return [];
  const versionCounts = await db
    .select({ modelId: modelVersions.modelId, n: count() })
    .from(modelVersions)
    .where(inArray(modelVersions.modelId, modelIds))
    .groupBy(modelVersions.modelId);
  const hourCounts = await db
    .select({
      modelId: predictionRollupsMinute.modelId,
      n: sql<number>`sum(${predictionRollupsMinute.count})::float8`,
    })
    .from(predictionRollupsMinute)
    .where(
      and(
        inArray(predictionRollupsMinute.modelId, modelIds),
        gte(predictionRollupsMinute.minute, new Date(now.getTime() - HOUR_MS)),
      ),
    )
    .groupBy(predictionRollupsMinute.modelId);
  const versionsOf = new Map(versionCounts.map((row) => [row.modelId, row.n]));
  const lastHourOf = new Map(hourCounts.map((row) => [row.modelId, row.n]));
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    task: row.task,
    createdAt: row.createdAt,
    versionCount: versionsOf.get(row.id) ?? 0,
    lastHourCount: lastHourOf.get(row.id) ?? 0,
  }));
}

/** The model called `slug` in the project; NOT_FOUND (naming the slug) when there is none. */
export async function findModelBySlug(db: DatabaseOrTransaction, projectId: string, slug: string) {
  const model = await db.query.models.findFirst({
    where: and(eq(models.projectId, projectId), eq(models.slug, slug)),
  });
  if (!model) throw notFound(`model "${slug}"`);
  return model;
}

/** A model and its versions, oldest first. */
export async function getModelWithVersions(
  db: DatabaseOrTransaction,
  projectId: string,
  slug: string,
) {
  const model = await findModelBySlug(db, projectId, slug);
  const versions = await db
    .select()
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(asc(modelVersions.createdAt));
  return { model, versions };
}
