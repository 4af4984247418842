import type { ProfileTarget } from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import type { CategoricalProfile, NumericProfile } from "@plumbline/drift";

/** A stored profile reduced to what bin counting needs (no sorted reference, no sketch). */
export type BinningProfile =
  | {
      target: ProfileTarget;
      name: string;
      revision: number;
      kind: "numeric";
      bins: NumericProfile["bins"];
      min: number | null;
      max: number | null;
      binCount: number;
    }
  | {
      target: ProfileTarget;
      name: string;
      revision: number;
      kind: "categorical";
      /** Reference category -> bin (own bin, or the `other` bin). */
      categoryBins: Map<string, number>;
      binCount: number;
    };

/** How long a version's profiles are reused before being read again. */
export const PROFILE_CACHE_TTL_MS = 5_000;

interface ProfileRow {
  target: ProfileTarget;
  name: string;
  revision: number;
  kind: "numeric" | "categorical";
  profile: Record<string, unknown>;
}

function toBinningProfile(row: ProfileRow): BinningProfile {
  if (row.kind === "numeric") {
    const profile = row.profile as unknown as NumericProfile;
    return {
      target: row.target,
      name: row.name,
      revision: row.revision,
      kind: "numeric",
      bins: profile.bins,
      min: profile.min,
      max: profile.max,
      binCount: profile.counts.length,
    };
  }
  const profile = row.profile as unknown as CategoricalProfile;
  const categoryBins = new Map<string, number>();
  const own = profile.categories.length;
  profile.referenceCategories.forEach((category, index) => {
    categoryBins.set(category, index < own ? index : own);
  });
  return {
    target: row.target,
    name: row.name,
    revision: row.revision,
    kind: "categorical",
    categoryBins,
    binCount: profile.counts.length,
  };
}

/**
 * The reference profiles of model versions, read once per few seconds instead of per batch.
 * A stale entry is harmless: bin rollups carry the revision they were counted against.
 */
export class ReferenceProfileCache {
  private readonly entries = new Map<string, { loadedAt: number; profiles: BinningProfile[] }>();

  constructor(
    private readonly sql: SqlClient,
    private readonly ttlMs = PROFILE_CACHE_TTL_MS,
  ) {}

  async profilesOf(modelId: string, version: string): Promise<BinningProfile[]> {
    const key = `${modelId}\u0000${version}`;
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.loadedAt < this.ttlMs) return cached.profiles;
    // The sorted reference and the sketch can be large and are not needed to count bins.
    const rows = await this.sql<ProfileRow[]>`
      select target, name, revision, kind,
             profile - 'sorted' - 'sketch' - 'calibration' - 'referenceCounts' as profile
      from reference_profiles
      where model_id = ${modelId} and version = ${version}`;
    const profiles = rows.map(toBinningProfile);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { loadedAt: Date.now(), profiles });
    return profiles;
  }

  forget(modelId: string, version: string) {
    this.entries.delete(`${modelId}\u0000${version}`);
  }
}
