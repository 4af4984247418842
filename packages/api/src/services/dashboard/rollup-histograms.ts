import { LATENCY_BUCKET_BOUNDS_MS, SCORE_HISTOGRAM_BINS } from "@plumbline/db/rollup-buckets";

import type { HistogramBin } from "./histogram-quantile";

/**
 * The rollup histograms as bins with bounds. Latency: bucket k holds (bound_{k-1}, bound_k]
 * (the first from 0); the last bucket, above 10 s, has no upper bound, so a quantile that lands
 * in it reads as its lower edge (10 s): "at least". Score: 20 equal-width bins over [0, 1].
 */
export function latencyBins(counts: readonly number[]): HistogramBin[] {
  return counts.map((count, index) => {
    const lower = index === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[index - 1]!;
    const upper = LATENCY_BUCKET_BOUNDS_MS[index] ?? lower;
    return { lower, upper, count };
  });
}

export function scoreBins(counts: readonly number[]): HistogramBin[] {
  const width = 1 / SCORE_HISTOGRAM_BINS;
  return counts.map((count, index) => ({
    lower: index * width,
    upper: (index + 1) * width,
    count,
  }));
}

/** Length of the latency histogram arrays (`latency_histogram`). */
export const LATENCY_BUCKETS = LATENCY_BUCKET_BOUNDS_MS.length + 1;
