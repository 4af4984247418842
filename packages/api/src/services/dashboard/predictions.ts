import type { NumericProfile } from "@plumbline/drift";

import {
  buildBucketAxis,
  fillBuckets,
  type BucketPoint,
  type DashboardWindow,
} from "./bucket-axis";
import { binClasses, OTHER_CLASS, topClasses } from "./class-bins";
import { echoSlice, type DashboardQuery, type EchoedSlice } from "./dashboard-query";
import { sumFeatureBins, type FeatureBinSums } from "./feature-bin-sums";
import { quantilesFromHistogram, type HistogramBin } from "./histogram-quantile";
import { loadReferenceProfiles, type StoredProfile } from "./reference-profiles";
import { scoreBins } from "./rollup-histograms";
import { sumScoresPerBucket } from "./score-rollups";

/** Classes drawn by name; the rest are summed into "other". */
export const TOP_CLASSES = 8;

export interface QuantileBand {
  /** Values the band is computed from; null for a bucket where nothing arrived. */
  count: number | null;
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
}

export type QuantileBandBucket = BucketPoint & QuantileBand;

export interface ClassShareBucket extends BucketPoint {
  /** Predictions with a class in the bucket; null when none arrived. */
  count: number | null;
  /** Share of each class of `classes`, same order; null when `count` is null or 0. */
  shares: (number | null)[];
}

export type PredictionSeries = "classShares" | "valueBands" | "scoreBands";

export type PredictionsUnavailableReason =
  /** Segment rollups hold counts only. */
  | "segment_slice"
  /** Classes and values are binned against the version's reference: none is uploaded. */
  | "no_reference_profile"
  /** The reference bins the prediction into value ranges, not classes (or the reverse). */
  | "profile_not_suitable"
  /** No prediction in the window carried a score. */
  | "no_scores";

export interface DashboardPredictions {
  window: DashboardWindow;
  slice: EchoedSlice;
  task: string;
  /** Classifiers: top classes + "other", per bucket and over the window. */
  classShares: {
    classes: string[];
    buckets: ClassShareBucket[];
    totals: { count: number; shares: number[] };
  } | null;
  /**
   * Regressors: quantile bands of the predicted value, estimated from the reference profile's
   * bins (values spread evenly inside a bin; the open end bins bounded by the reference's
   * minimum and maximum), so approximate.
   */
  valueBands: { approximate: true; buckets: QuantileBandBucket[]; totals: QuantileBand } | null;
  /** Quantile bands of the score, from its 20-bin histogram (within +-0.025). */
  scoreBands: { buckets: QuantileBandBucket[]; totals: QuantileBand } | null;
  /** Every series that is null, with the reason. */
  unavailable: { series: PredictionSeries; reason: PredictionsUnavailableReason }[];
}

const BAND_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
const CLASSIFICATION_TASKS = new Set(["binary_classification", "multiclass_classification"]);

/** The prediction distribution over time: class shares or value bands, and score bands. */
export async function computePredictions(query: DashboardQuery): Promise<DashboardPredictions> {
  const axis = buildBucketAxis(query.window);
  const classifier = CLASSIFICATION_TASKS.has(query.model.task);
  const result: DashboardPredictions = {
    window: axis.window,
    slice: echoSlice(query.slice),
    task: query.model.task,
    classShares: null,
    valueBands: null,
    scoreBands: null,
    unavailable: [],
  };
  const outputSeries: PredictionSeries = classifier ? "classShares" : "valueBands";
  if (query.slice.segment) {
    result.unavailable.push(
      { series: outputSeries, reason: "segment_slice" },
      { series: "scoreBands", reason: "segment_slice" },
    );
    return result;
  }

  const [profiles, scores] = await Promise.all([
    loadReferenceProfiles(query.db, {
      modelId: query.model.id,
      version: query.slice.version,
      target: "prediction",
    }),
    sumScoresPerBucket(query),
  ]);

  if (scores.total.scoredCount > 0) {
    const bandOf = (histogram: number[]) => quantileBand(scoreBins(histogram));
    result.scoreBands = {
      buckets: fillBuckets(
        axis,
        [...scores.perBucket.entries()],
        ([bucketMs]) => bucketMs,
        ([, sums], point) => ({ ...point, ...bandOf(sums.histogram) }),
        (point) => ({ ...point, ...quantileBand(null) }),
      ),
      totals: bandOf(scores.total.histogram),
    };
  } else result.unavailable.push({ series: "scoreBands", reason: "no_scores" });

  if (profiles.length === 0) {
    result.unavailable.push({ series: outputSeries, reason: "no_reference_profile" });
    return result;
  }
  const suitable = profiles.filter((stored) =>
    classifier ? binClasses(stored.profile) !== null : stored.profile.kind === "numeric",
  );
  if (suitable.length === 0) {
    result.unavailable.push({ series: outputSeries, reason: "profile_not_suitable" });
    return result;
  }
  const sums = await sumFeatureBins(query.db, {
    modelId: query.model.id,
    from: query.window.from,
    to: query.window.to,
    slice: query.slice,
    target: "prediction",
    bucketMs: query.window.bucketMs,
    binCount: Math.max(...suitable.map((stored) => stored.profile.counts.length)),
  });
  const current = currentRowsOnly(sums, suitable);
  if (classifier) result.classShares = classSharesOf(axis, current);
  else result.valueBands = valueBandsOf(axis, current);
  return result;
}

/** Rollups counted against each version's current profile, with that profile. */
function currentRowsOnly(
  sums: readonly FeatureBinSums[],
  profiles: readonly StoredProfile[],
): { row: FeatureBinSums; stored: StoredProfile }[] {
  const byVersion = new Map(profiles.map((stored) => [stored.version, stored]));
  return sums.flatMap((row) => {
    const stored = byVersion.get(row.version);
    return stored && stored.revision === row.profileRevision && stored.name === row.name
      ? [{ row, stored }]
      : [];
  });
}

function classSharesOf(
  axis: ReturnType<typeof buildBucketAxis>,
  rows: readonly { row: FeatureBinSums; stored: StoredProfile }[],
): NonNullable<DashboardPredictions["classShares"]> {
  const perBucket = new Map<number, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const { row, stored } of rows) {
    const classes = binClasses(stored.profile)!;
    let bucket = perBucket.get(row.bucketMs);
    if (!bucket) perBucket.set(row.bucketMs, (bucket = new Map<string, number>()));
    classes.forEach((name, bin) => {
      const count = row.counts[bin] ?? 0;
      bucket.set(name, (bucket.get(name) ?? 0) + count);
      totals.set(name, (totals.get(name) ?? 0) + count);
    });
  }
  const classes = topClasses(totals, TOP_CLASSES);
  const sharesOf = (counts: ReadonlyMap<string, number>) => {
    const named = classes.map((name) => (name === OTHER_CLASS ? 0 : (counts.get(name) ?? 0)));
    let total = 0;
    for (const count of counts.values()) total += count;
    const shown = named.reduce((sum, count) => sum + count, 0);
    const values = classes.map((name, index) =>
      name === OTHER_CLASS ? total - shown : named[index]!,
    );
    return { total, shares: values.map((count) => (total > 0 ? count / total : 0)) };
  };
  const windowShares = sharesOf(totals);
  return {
    classes,
    buckets: fillBuckets(
      axis,
      [...perBucket.entries()],
      ([bucketMs]) => bucketMs,
      ([, counts], point): ClassShareBucket => {
        const { total, shares } = sharesOf(counts);
        return { ...point, count: total, shares: total > 0 ? shares : classes.map(() => null) };
      },
      (point): ClassShareBucket => ({ ...point, count: null, shares: classes.map(() => null) }),
    ),
    totals: { count: windowShares.total, shares: windowShares.shares },
  };
}

function valueBandsOf(
  axis: ReturnType<typeof buildBucketAxis>,
  rows: readonly { row: FeatureBinSums; stored: StoredProfile }[],
): NonNullable<DashboardPredictions["valueBands"]> {
  const perBucket = new Map<number, HistogramBin[]>();
  const all: HistogramBin[] = [];
  for (const { row, stored } of rows) {
    const bins = valueBins(stored.profile as NumericProfile, row.counts);
    let bucket = perBucket.get(row.bucketMs);
    if (!bucket) perBucket.set(row.bucketMs, (bucket = []));
    bucket.push(...bins);
    all.push(...bins);
  }
  return {
    approximate: true,
    buckets: fillBuckets(
      axis,
      [...perBucket.entries()],
      ([bucketMs]) => bucketMs,
      ([, bins], point) => ({ ...point, ...quantileBand(bins) }),
      (point) => ({ ...point, ...quantileBand(null) }),
    ),
    totals: quantileBand(all),
  };
}

/**
 * A numeric profile's bins with bounds: decile bins span their edges, the open first and last
 * bins reach the reference minimum and maximum; value bins are points. The OOV bin of value
 * bins has no known place and is left out.
 */
export function valueBins(profile: NumericProfile, counts: readonly number[]): HistogramBin[] {
  if (profile.bins.type === "value") {
    return profile.bins.values.map((value, bin) => ({
      lower: value,
      upper: value,
      count: counts[bin] ?? 0,
    }));
  }
  const edges = profile.bins.edges;
  if (edges.length === 0) {
    const point = profile.min ?? 0;
    return [{ lower: point, upper: profile.max ?? point, count: counts[0] ?? 0 }];
  }
  const first = edges[0]!;
  const last = edges[edges.length - 1]!;
  const bounds = [
    Math.min(profile.min ?? first, first),
    ...edges,
    Math.max(profile.max ?? last, last),
  ];
  return bounds.slice(0, -1).map((lower, bin) => ({
    lower,
    upper: bounds[bin + 1]!,
    count: counts[bin] ?? 0,
  }));
}

function quantileBand(bins: readonly HistogramBin[] | null): QuantileBand {
  if (!bins) return { count: null, p10: null, p25: null, p50: null, p75: null, p90: null };
  let count = 0;
  for (const bin of bins) count += bin.count;
  const [p10, p25, p50, p75, p90] = quantilesFromHistogram(bins, BAND_QUANTILES);
  return {
    count,
    p10: p10 ?? null,
    p25: p25 ?? null,
    p50: p50 ?? null,
    p75: p75 ?? null,
    p90: p90 ?? null,
  };
}
