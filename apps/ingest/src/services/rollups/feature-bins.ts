import type { FeatureValue, PredictionOutput, ProfileTarget } from "@plumbline/contracts";
import { numericBinIndex } from "@plumbline/drift";

import { rollupKey, startOfMinute } from "./minute-rollups";
import type { BinningProfile } from "../reference-profiles/reference-profile-cache";

export interface BinnedRecord {
  modelId: string;
  version: string;
  deployment: string;
  ts: Date;
  features: Record<string, FeatureValue>;
  prediction: PredictionOutput | Record<string, unknown>;
}

export interface FeatureBinRollup {
  modelId: string;
  minute: Date;
  version: string;
  deployment: string;
  target: ProfileTarget;
  name: string;
  profileRevision: number;
  counts: number[];
  missing: number;
  outOfRange: number;
  unseen: number;
  typeMismatch: number;
}

/** The value a profile describes: a feature, the predicted label or value, or the score. */
function profiledValue(profile: BinningProfile, record: BinnedRecord): unknown {
  switch (profile.target) {
    case "feature":
      return Object.hasOwn(record.features, profile.name) ? record.features[profile.name] : null;
    case "prediction":
      return record.prediction.label ?? record.prediction.value ?? null;
    case "score":
      return record.prediction.score ?? null;
  }
}

/** Adds one value to its rollup: its bin, or missing / type mismatch, and the range signals. */
function countValue(profile: BinningProfile, rollup: FeatureBinRollup, value: unknown) {
  if (value === null || value === undefined) {
    rollup.missing += 1;
    return;
  }
  if (profile.kind === "numeric") {
    const number = typeof value === "boolean" ? Number(value) : value;
    if (typeof number !== "number") {
      rollup.typeMismatch += 1;
      return;
    }
    if (!Number.isFinite(number)) {
      rollup.missing += 1;
      return;
    }
    const bin = numericBinIndex(profile.bins, number);
    rollup.counts[bin]! += 1;
    if (profile.bins.type === "value" && bin === profile.bins.values.length) rollup.unseen += 1;
    if (
      profile.min !== null &&
      profile.max !== null &&
      (number < profile.min || number > profile.max)
    ) {
      rollup.outOfRange += 1;
    }
    return;
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    rollup.typeMismatch += 1;
    return;
  }
  const bin = profile.categoryBins.get(String(value));
  if (bin === undefined) {
    rollup.counts[profile.binCount - 1]! += 1;
    rollup.unseen += 1;
  } else rollup.counts[bin]! += 1;
}

/**
 * Per-minute bin counts of every profiled value of the accepted records, against the profiles
 * of each record's version (`profilesOf` returns them, possibly none). Sorted by key so that
 * writers lock rollup rows in one order.
 */
export function aggregateFeatureBins(
  records: readonly BinnedRecord[],
  profilesOf: (modelId: string, version: string) => readonly BinningProfile[],
): FeatureBinRollup[] {
  const rollups = new Map<string, FeatureBinRollup>();
  for (const record of records) {
    const profiles = profilesOf(record.modelId, record.version);
    if (profiles.length === 0) continue;
    const minute = startOfMinute(record.ts);
    const base = rollupKey(record.modelId, minute, record.version, record.deployment);
    for (const profile of profiles) {
      const key = `${base}\u0000${profile.target}\u0000${profile.name}\u0000${profile.revision}`;
      let rollup = rollups.get(key);
      if (!rollup) {
        rollup = {
          modelId: record.modelId,
          minute,
          version: record.version,
          deployment: record.deployment,
          target: profile.target,
          name: profile.name,
          profileRevision: profile.revision,
          counts: new Array<number>(profile.binCount).fill(0),
          missing: 0,
          outOfRange: 0,
          unseen: 0,
          typeMismatch: 0,
        };
        rollups.set(key, rollup);
      }
      countValue(profile, rollup, profiledValue(profile, record));
    }
  }
  return sortedByKey(rollups);
}

function binRollupKey(rollup: FeatureBinRollup): string {
  const base = rollupKey(rollup.modelId, rollup.minute, rollup.version, rollup.deployment);
  return `${base}\u0000${rollup.target}\u0000${rollup.name}\u0000${rollup.profileRevision}`;
}

function sortedByKey(rollups: Map<string, FeatureBinRollup>): FeatureBinRollup[] {
  return [...rollups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, rollup]) => rollup);
}

/**
 * Sums several requests' bin rollups per key (counts element-wise), sorted by key: what one
 * upsert of the sum adds equals what the separate upserts would.
 */
export function mergeFeatureBinRollups(
  lists: readonly (readonly FeatureBinRollup[])[],
): FeatureBinRollup[] {
  if (lists.length === 1) return [...lists[0]!];
  const merged = new Map<string, FeatureBinRollup>();
  for (const list of lists) {
    for (const rollup of list) {
      const key = binRollupKey(rollup);
      const total = merged.get(key);
      if (!total) {
        merged.set(key, { ...rollup, counts: [...rollup.counts] });
        continue;
      }
      rollup.counts.forEach((count, bin) => {
        total.counts[bin] = (total.counts[bin] ?? 0) + count;
      });
      total.missing += rollup.missing;
      total.outOfRange += rollup.outOfRange;
      total.unseen += rollup.unseen;
      total.typeMismatch += rollup.typeMismatch;
    }
  }
  return sortedByKey(merged);
}
