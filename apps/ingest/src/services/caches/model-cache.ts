import type { SqlClient } from "@plumbline/db/client";

import { resolveModelVersions, type ResolvedModel, type ResolvedModels } from "./model-lookup";

/** Registered models are reused this long before being read again. */
const MODEL_CACHE_TTL_MS = 5_000;

interface Entry {
  model: ResolvedModel;
  versions: Set<string>;
  loadedAt: number;
}

/**
 * Registered models and versions by (project, slug), reused for a few seconds so a stream of
 * batches does not look them up every time. Only what exists is cached: a model or version
 * that is missing is always asked for again, so a newly registered one is seen at once.
 */
export class ModelCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sql: SqlClient) {}

  async resolve(
    projectId: string,
    wanted: readonly { slug: string; version?: string }[],
  ): Promise<ResolvedModels> {
    const now = Date.now();
    const fresh = (slug: string) => {
      const entry = this.entries.get(`${projectId}\u0000${slug}`);
      return entry && now - entry.loadedAt < MODEL_CACHE_TTL_MS ? entry : undefined;
    };
    const complete = wanted.every(({ slug, version }) => {
      const entry = fresh(slug);
      return entry !== undefined && (version === undefined || entry.versions.has(version));
    });
    if (!complete) {
      const resolved = await resolveModelVersions(this.sql, projectId, wanted);
      if (this.entries.size > 10_000) this.entries.clear();
      for (const model of resolved.models.values()) {
        const known = new Set<string>();
        for (const { slug, version } of wanted) {
          if (
            slug === model.slug &&
            version !== undefined &&
            resolved.hasVersion(model.id, version)
          ) {
            known.add(version);
          }
        }
        const previous = fresh(model.slug);
        for (const version of previous?.versions ?? []) known.add(version);
        this.entries.set(`${projectId}\u0000${model.slug}`, {
          model,
          versions: known,
          loadedAt: now,
        });
      }
      return resolved;
    }
    const models = new Map<string, ResolvedModel>();
    const versions = new Set<string>();
    for (const { slug } of wanted) {
      const entry = fresh(slug)!;
      models.set(slug, entry.model);
      for (const version of entry.versions) versions.add(`${entry.model.id}\u0000${version}`);
    }
    return { models, hasVersion: (modelId, version) => versions.has(`${modelId}\u0000${version}`) };
  }
}
