import type { SqlClient } from "@plumbline/db/client";
import type { FeatureSchema } from "@plumbline/db/schema";
import { textArray } from "../sql/sql-arrays";

export interface ResolvedModel {
  id: string;
  slug: string;
  featureSchema: FeatureSchema;
}

export interface ResolvedModels {
  /** By slug; only models of the key's project. */
  models: Map<string, ResolvedModel>;
  hasVersion: (modelId: string, version: string) => boolean;
}

/**
 * Resolves model slugs (and which of the asked versions are registered) within one project, in
 * one round trip. Another project's model looks exactly like a missing one.
 */
export async function resolveModelVersions(
  sql: SqlClient,
  projectId: string,
  wanted: readonly { slug: string; version?: string }[],
): Promise<ResolvedModels> {
  const slugs = [...new Set(wanted.map((w) => w.slug))];
  const versions = [
    ...new Set(wanted.flatMap((w) => (w.version === undefined ? [] : [w.version]))),
  ];
  const rows = await sql<
    { id: string; slug: string; feature_schema: FeatureSchema; versions: string[] | null }[]
  >`
    select m.id, m.slug, m.feature_schema,
      (select array_agg(v.version) from model_versions v
        where v.model_id = m.id and v.version = any(${textArray(sql, versions)}::text[])) as versions
    from models m
    where m.project_id = ${projectId} and m.slug = any(${textArray(sql, slugs)}::text[])`;
  const models = new Map<string, ResolvedModel>();
  const registered = new Set<string>();
  for (const row of rows) {
    models.set(row.slug, { id: row.id, slug: row.slug, featureSchema: row.feature_schema });
    for (const version of row.versions ?? []) registered.add(`${row.id}\u0000${version}`);
  }
  return {
    models,
    hasVersion: (modelId, version) => registered.has(`${modelId}\u0000${version}`),
  };
}
