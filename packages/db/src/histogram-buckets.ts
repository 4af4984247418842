/**
 * The fixed buckets of the rollup histograms, shared by the writer (ingest) and the readers
 * (api). Fixed, so that histograms from any request, minute or instance add element-wise;
 * changing a definition needs a new column, never a new meaning.
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

const ERROR_MAGNITUDES = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
] as const;

/**
 * Upper bounds of the regression error buckets (error = predicted value - actual value): a
 * 1-2-5 series of magnitudes from 0.01 to 10,000 on each side of zero, so bucket 0 holds
 * errors <= -10,000, the middle bucket (index 19) holds (-0.01, 0.01], and one more bucket
 * (index 38) holds everything above 10,000. 38 bounds, 39 buckets. Errors are in the unit
 * of the model's output; the series spans the usual scales without knowing it.
 */
export const ERROR_BUCKET_BOUNDS = [
  ...ERROR_MAGNITUDES.map((magnitude) => -magnitude).reverse(),
  ...ERROR_MAGNITUDES,
] as const;

/** A score below this counts as a low-confidence prediction (`low_confidence_count`). */
export const LOW_CONFIDENCE_SCORE = 0.6;
