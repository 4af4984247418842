import type { ReliabilitySeries } from "~/components/charts/reliability-diagram";
import type { TimeRow } from "~/components/charts/time-rows";

/**
 * The fields of the performance answer the page draws (the performance service's output:
 * metrics by the time of the predictions, over the window and per bucket).
 */
export interface PerformanceSummaryView {
  classification: {
    count: number;
    accuracy: number;
    macro: { precision: number; recall: number; f1: number };
    classes: {
      className: string;
      support: number;
      precision: number | null;
      recall: number | null;
      f1: number | null;
    }[];
  } | null;
  binary: {
    positives: number;
    negatives: number;
    rocAuc: number | null;
    reliability: {
      lower: number;
      upper: number;
      count: number;
      meanScore: number;
      positiveShare: number;
    }[];
  } | null;
  regression: {
    count: number;
    mae: number;
    rmse: number;
    meanError: number;
    errorDistribution: { lower: number | null; upper: number | null; count: number }[];
  } | null;
  coverage: { predictions: number; joined: number; coverage: number | null };
  delay: { joined: number; meanMs: number | null; p50Ms: number | null; p90Ms: number | null };
}

export interface PerformanceView {
  bucketMs: number;
  labelName: string | null;
  overall: PerformanceSummaryView;
  buckets: (PerformanceSummaryView & { start: Date })[];
}

/**
 * One row per bucket with every metric the charts draw, keyed `slice:metric`. A bucket without
 * labelled pairs has null metrics (a gap); the bucket holding `inProgressBucket` is flagged.
 */
export function performanceRows(
  slices: readonly { key: string; data: PerformanceView }[],
  inProgressBucket: number | null,
): TimeRow[] {
  const rows = new Map<number, TimeRow>();
  for (const slice of slices) {
    for (const bucket of slice.data.buckets) {
      const t = bucket.start.getTime();
      const row = rows.get(t) ?? { t, inProgress: t === inProgressBucket };
      row[`${slice.key}:accuracy`] = bucket.classification?.accuracy ?? null;
      row[`${slice.key}:f1`] = bucket.classification?.macro.f1 ?? null;
      row[`${slice.key}:auc`] = bucket.binary?.rocAuc ?? null;
      row[`${slice.key}:mae`] = bucket.regression?.mae ?? null;
      row[`${slice.key}:rmse`] = bucket.regression?.rmse ?? null;
      row[`${slice.key}:coverage`] =
        bucket.coverage.predictions > 0 ? bucket.coverage.coverage : null;
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** The reliability diagram's series, one per compared slice. */
export function reliabilitySeries(
  slices: readonly { key: string; label: string; data: PerformanceView }[],
): ReliabilitySeries[] {
  return slices.flatMap((slice) =>
    slice.data.overall.binary
      ? [
          {
            key: slice.key,
            label: slice.label,
            bins: slice.data.overall.binary.reliability.map((point) => ({
              lower: point.lower,
              upper: point.upper,
              predicted: point.meanScore,
              observed: point.positiveShare,
              count: point.count,
            })),
          },
        ]
      : [],
  );
}

/** "≤ -1", "(-1, -0.5]", "> 4": the label of a regression error bucket. */
export function errorBucketLabel(bucket: { lower: number | null; upper: number | null }): string {
  if (bucket.lower === null) return `≤ ${bucket.upper ?? "∞"}`;
  if (bucket.upper === null) return `> ${bucket.lower}`;
  return `(${bucket.lower}, ${bucket.upper}]`;
}
