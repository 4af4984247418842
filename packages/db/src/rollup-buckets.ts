/**
 * Fixed histogram buckets of the rollup tables. Ingest fills them and the dashboard reads them,
 * so both take them from here. Fixed, so that histograms from any request, minute or instance
 * add element-wise; changing a definition needs a new column, never a new meaning.
 */

/** Equal-width score bins over [0, 1] (`score_histogram`); a score of exactly 1 falls in the last bin. */
export const SCORE_HISTOGRAM_BINS = 20;

/** Latency bucket upper bounds in ms (1-2-5 series); one more bucket holds everything above. */
export const LATENCY_BUCKET_BOUNDS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
] as const;

/** Label delay bucket upper bounds: 1 min, 10 min, 1 h, 6 h, 1 day, 7 days, 30 days, then above. */
export const LABEL_DELAY_BUCKET_BOUNDS_MS = [
  60_000, 600_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000, 2_592_000_000,
] as const;

/** A score below this counts as a low-confidence prediction (`low_confidence_count`). */
export const LOW_CONFIDENCE_SCORE = 0.6;
