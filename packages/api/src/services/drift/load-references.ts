import { and, eq, inArray, sql } from "drizzle-orm";

import type { ProfileTarget } from "@plumbline/contracts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { referenceBaselines, referenceProfiles } from "@plumbline/db/schema";
import type { ReferenceProfile } from "@plumbline/drift";

import type { DriftReference } from "./drift-output";

/** A version's current baseline with its profiles, keyed by `profileKey(target, name)`. */
export interface LoadedReference {
  reference: DriftReference;
  profiles: Map<string, { target: ProfileTarget; name: string; profile: ReferenceProfile }>;
}

export function profileKey(target: string, name: string): string {
  return `${target}\u0000${name}`;
}

/**
 * The current baseline and profiles of each version of a model that has one (all versions
 * when `versions` is omitted). The sorted reference and the quantile sketch are left in the
 * database: binned drift does not need them and they can be hundreds of kilobytes.
 */
export async function loadReferences(
  db: DatabaseOrTransaction,
  modelId: string,
  versions?: readonly string[],
): Promise<Map<string, LoadedReference>> {
  if (versions && versions.length === 0) return new Map();
  const versionFilter = (
    column: typeof referenceBaselines.version | typeof referenceProfiles.version,
  ) => (versions ? inArray(column, [...versions]) : undefined);
  const [baselines, profiles] = await Promise.all([
    db
      .select()
      .from(referenceBaselines)
      .where(
        and(eq(referenceBaselines.modelId, modelId), versionFilter(referenceBaselines.version)),
      ),
    db
      .select({
        version: referenceProfiles.version,
        target: referenceProfiles.target,
        name: referenceProfiles.name,
        revision: referenceProfiles.revision,
        profile: sql<Record<string, unknown>>`${referenceProfiles.profile} - 'sorted' - 'sketch'`,
      })
      .from(referenceProfiles)
      .where(and(eq(referenceProfiles.modelId, modelId), versionFilter(referenceProfiles.version))),
  ]);
  const loaded = new Map<string, LoadedReference>();
  for (const baseline of baselines) {
    loaded.set(baseline.version, {
      reference: {
        version: baseline.version,
        revision: baseline.revision,
        builtAt: baseline.createdAt,
        rows: baseline.rows,
        source: baseline.source,
        window:
          baseline.windowFrom && baseline.windowTo
            ? { from: baseline.windowFrom, to: baseline.windowTo }
            : null,
      },
      profiles: new Map(),
    });
  }
  for (const row of profiles) {
    const entry = loaded.get(row.version);
    // A profile of another revision is being replaced right now: its bins are not the current ones.
    if (!entry || entry.reference.revision !== row.revision) continue;
    const profile = { ...row.profile, sorted: null, sketch: null } as unknown as ReferenceProfile;
    entry.profiles.set(profileKey(row.target, row.name), {
      target: row.target as ProfileTarget,
      name: row.name,
      profile,
    });
  }
  return loaded;
}

/** The most bins of any loaded profile (of one feature, when `key` is given). */
export function maxBinsOf(references: ReadonlyMap<string, LoadedReference>, key?: string): number {
  let most = 0;
  for (const { profiles } of references.values()) {
    for (const [profileKeyOf, { profile }] of profiles) {
      if (key === undefined || key === profileKeyOf) most = Math.max(most, profile.counts.length);
    }
  }
  return most;
}
