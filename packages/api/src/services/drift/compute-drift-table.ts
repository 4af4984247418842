import type { ProfileTarget } from "@plumbline/contracts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";

import type {
  DriftReference,
  DriftTable,
  DriftTableRow,
  VersionDriftSummary,
} from "./drift-output";
import {
  addBinCounts,
  compareWorstFirst,
  emptyBinCounts,
  evaluateCounts,
  pickRepresentative,
  recordsOf,
  type EvaluatedCounts,
} from "./evaluate-counts";
import { maxBinsOf, profileKey } from "./load-references";
import {
  driftWindowOf,
  findVersionsWithoutReference,
  resolveDriftScope,
  type DriftScope,
  type DriftWindowRequest,
} from "./resolve-drift-scope";
import { sumBinCounts, type BinCountRow, type BinCounts } from "./sum-bin-counts";

/** Per feature, each compared version's drift over a set of summed counts. */
export interface FeatureEvaluation {
  target: ProfileTarget;
  name: string;
  kind: "numeric" | "categorical";
  results: EvaluatedCounts[];
  representative: EvaluatedCounts;
}

/**
 * Evaluates every profiled feature of every compared version on the given counts (missing
 * counts are zeros: that version had no traffic). Features are matched by (target, name)
 * across versions; each version is compared with its own profile only.
 */
export function evaluateFeatures(
  scope: DriftScope,
  countsOf: (version: string, target: string, name: string) => BinCounts | undefined,
): FeatureEvaluation[] {
  const byFeature = new Map<string, FeatureEvaluation>();
  for (const [version, loaded] of scope.references) {
    for (const [key, { target, name, profile }] of loaded.profiles) {
      const counts = countsOf(version, target, name) ?? emptyBinCounts(profile.counts.length);
      const result = evaluateCounts(version, profile, counts);
      const entry = byFeature.get(key);
      if (entry) entry.results.push(result);
      else
        byFeature.set(key, {
          target,
          name,
          kind: profile.kind,
          results: [result],
          representative: result,
        });
    }
  }
  for (const entry of byFeature.values()) {
    entry.representative = pickRepresentative(entry.results) ?? entry.representative;
  }
  return [...byFeature.values()];
}

/** Sums rows over buckets into one BinCounts per (version, target, name). */
export function sumRowsPerFeature(rows: readonly BinCountRow[]): Map<string, BinCounts> {
  const sums = new Map<string, BinCounts>();
  for (const row of rows) {
    const key = `${row.version}\u0000${profileKey(row.target, row.name)}`;
    const sum = sums.get(key);
    if (sum) addBinCounts(sum, row);
    else sums.set(key, { ...row, counts: [...row.counts] });
  }
  return sums;
}

export function versionSummary(result: EvaluatedCounts): VersionDriftSummary {
  const noData = result.drift.status === "no_data";
  return {
    version: result.version,
    status: result.drift.status,
    jsDistance: noData ? null : result.drift.binned.jsDistance,
    currentCount: result.drift.n.current,
  };
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function toTableRow(feature: FeatureEvaluation): DriftTableRow {
  const { drift, profile, counts, version } = feature.representative;
  const noData = drift.status === "no_data";
  const records = recordsOf(counts);
  const referenceRecords = profile.n + profile.missing;
  return {
    target: feature.target,
    name: feature.name,
    kind: feature.kind,
    status: drift.status,
    primary: drift.primary,
    jsDistance: noData ? null : drift.binned.jsDistance,
    psi: noData ? null : drift.binned.psi,
    pValue: noData ? null : (drift.binary?.pvalue ?? drift.binned.chi2.pvalue),
    test: "chi_square",
    missingShare: share(counts.missing, records),
    referenceMissingShare: referenceRecords > 0 ? profile.missing / referenceRecords : 0,
    unseenShare: share(counts.unseen, drift.n.current),
    outOfRangeShare: feature.kind === "numeric" ? share(counts.outOfRange, drift.n.current) : null,
    typeMismatchShare: share(counts.typeMismatch, records),
    referenceCount: drift.n.reference,
    currentCount: drift.n.current,
    version,
    versions: feature.results.map(versionSummary),
  };
}

/** The reference of the version with the most current values, then every one in use. */
export function referencesInUse(
  scope: DriftScope,
  features: readonly FeatureEvaluation[],
): { reference: DriftReference | null; references: DriftReference[] } {
  const current = new Map<string, number>();
  for (const feature of features) {
    for (const result of feature.results) {
      current.set(
        result.version,
        Math.max(current.get(result.version) ?? 0, recordsOf(result.counts)),
      );
    }
  }
  const references = [...scope.references.values()]
    .map((loaded) => loaded.reference)
    .sort(
      (a, b) =>
        (current.get(b.version) ?? 0) - (current.get(a.version) ?? 0) ||
        a.version.localeCompare(b.version),
    );
  return { reference: references[0] ?? null, references };
}

/**
 * The drift table: every profiled feature, the prediction and the score, worst first, from bin
 * counts summed in SQL over the window and `compareCounts` in JS. With several versions in the
 * window and no version filter, each version is compared with its own reference and the row
 * shows the worst conclusive one (see `pickRepresentative`), with every version's own result.
 */
export async function computeDriftTable(
  db: DatabaseOrTransaction,
  projectId: string,
  request: DriftWindowRequest,
  now: Date,
): Promise<DriftTable> {
  const scope = await resolveDriftScope(db, projectId, request, now);
  const window = driftWindowOf(scope.window);
  if (scope.unavailable?.reason === "segment_slice") {
    return {
      window,
      unavailable: scope.unavailable,
      reference: null,
      references: [],
      versionsWithoutReference: [],
      rows: [],
    };
  }
  const [rows, versionsWithoutReference] = await Promise.all([
    sumBinCounts(db, {
      modelId: scope.modelId,
      from: scope.window.from,
      to: scope.window.to,
      revisions: scope.revisions,
      deployment: scope.slice.deployment,
      maxBins: maxBinsOf(scope.references),
      bucketMs: null,
    }),
    findVersionsWithoutReference(db, scope),
  ]);
  const sums = sumRowsPerFeature(rows);
  const features = evaluateFeatures(scope, (version, target, name) =>
    sums.get(`${version}\u0000${profileKey(target, name)}`),
  );
  return {
    window,
    unavailable: scope.unavailable,
    ...referencesInUse(scope, features),
    versionsWithoutReference,
    rows: features.map(toTableRow).sort(compareWorstFirst),
  };
}
