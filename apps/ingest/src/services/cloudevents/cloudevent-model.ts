import type { ClassLabels } from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import type postgres from "postgres";

import type { CloudEventModel } from "./cloudevent-records";

export interface ResolvedCloudEventModel extends CloudEventModel {
  id: string;
  projectId: string;
  featureSchema: Record<string, { type: string; position?: number }>;
  /** The project's `auto_register_models`: may ingest add a version the payload reports? */
  autoRegisterModels: boolean;
}

/** The model a CloudEvent names, with its versions (newest first), within one project. */
export async function cloudEventModel(
  sql: SqlClient | postgres.TransactionSql,
  where: { projectId: string; slug: string } | { modelIds: string[] },
): Promise<ResolvedCloudEventModel[]> {
  const rows = await sql<
    {
      id: string;
      project_id: string;
      slug: string;
      feature_schema: Record<string, { type: string; position?: number }>;
      versions: string[] | null;
      class_labels: Record<string, ClassLabels> | null;
      auto_register_models: boolean;
    }[]
  >`
    select m.id, m.project_id, m.slug, m.feature_schema,
      (select array_agg(v.version order by v.created_at desc, v.version desc)
       from model_versions v where v.model_id = m.id) as versions,
      (select jsonb_object_agg(v.version, v.class_labels)
       from model_versions v where v.model_id = m.id and v.class_labels is not null) as class_labels,
      p.auto_register_models
    from models m join projects p on p.id = m.project_id
    where ${"slug" in where ? sql`m.project_id = ${where.projectId} and m.slug = ${where.slug}` : sql`m.id = any(${sql.array(where.modelIds, 25)}::uuid[])`}`;
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    slug: row.slug,
    featureSchema: row.feature_schema,
    autoRegisterModels: row.auto_register_models,
    featureNames: positionalFeatureNames(row.feature_schema),
    versions: row.versions ?? [],
    classLabels: new Map(
      Object.entries(row.class_labels ?? {}).map(([version, classes]) => [
        version,
        { labels: classes.labels, positive: classes.positive ?? null },
      ]),
    ),
  }));
}

/** Feature names by their registered `position`; unpositioned payload columns become x0, x1, ... */
function positionalFeatureNames(schema: Record<string, { position?: number }>): string[] {
  const names: string[] = [];
  for (const [name, entry] of Object.entries(schema)) {
    if (
      typeof entry.position === "number" &&
      Number.isInteger(entry.position) &&
      entry.position >= 0
    ) {
      names[entry.position] = name;
    }
  }
  return Array.from(names, (name, index) => name ?? `x${index}`);
}
