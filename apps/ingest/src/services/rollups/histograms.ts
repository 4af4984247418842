/**
 * Bucketing into the fixed histograms of the rollups. The buckets themselves are defined in
 * `@plumbline/db/histogram-buckets`, beside the columns they give meaning to, because the
 * dashboard reads them too.
 */
import { SCORE_HISTOGRAM_BINS } from "@plumbline/db/histogram-buckets";

export {
  ERROR_BUCKET_BOUNDS,
  LABEL_DELAY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_BOUNDS_MS,
  SCORE_HISTOGRAM_BINS,
} from "@plumbline/db/histogram-buckets";

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
