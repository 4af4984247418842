/**
 * Fixed histogram buckets of the rollups. Fixed, so that histograms from any request, minute or
 * instance add element-wise; changing a definition needs a new column, never a new meaning.
 */

/** Equal-width score bins over [0, 1]; a score of exactly 1 falls in the last bin. */
export const SCORE_HISTOGRAM_BINS = 20;

/** Latency bucket upper bounds in ms (1-2-5 series); one more bucket holds everything above. */
export const LATENCY_BUCKET_BOUNDS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
] as const;

/** Label delay bucket upper bounds: 1 min, 10 min, 1 h, 6 h, 1 day, 7 days, 30 days, then above. */
export const LABEL_DELAY_BUCKET_BOUNDS_MS = [
  60_000, 600_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000, 2_592_000_000,
] as const;

export function scoreBin(score: number): number {
  return Math.min(SCORE_HISTOGRAM_BINS - 1, Math.max(0, Math.floor(score * SCORE_HISTOGRAM_BINS)));
}

/** Index of the first bucket whose upper bound is >= value (values above all go last). */
export function boundedBucket(bounds: readonly number[], value: number): number {
  for (let index = 0; index < bounds.length; index += 1) {
    if (value <= bounds[index]!) return index;
  }
  return bounds.length;
}

/** A Postgres array literal (`{1,0,3}`) for a `bigint[]` parameter. */
export function arrayLiteral(values: ArrayLike<number>): string {
  return `{${Array.from(values).join(",")}}`;
}
