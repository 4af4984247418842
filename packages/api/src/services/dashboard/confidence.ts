import { LOW_CONFIDENCE_SCORE } from "@plumbline/db/rollup-buckets";

import {
  buildBucketAxis,
  fillBuckets,
  shareOf,
  type BucketPoint,
  type DashboardWindow,
} from "./bucket-axis";
import { echoSlice, type DashboardQuery, type EchoedSlice } from "./dashboard-query";
import { quantilesFromHistogram } from "./histogram-quantile";
import { scoreBins } from "./rollup-histograms";
import { sumScoresPerBucket, type ScoreSums } from "./score-rollups";

export interface ConfidenceStats {
  /** Predictions that carried a score; null for a bucket where nothing arrived. */
  scoredCount: number | null;
  /** Percentiles of the score from its 20-bin histogram (linear inside a bin, so +-0.025). */
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** Exact mean of the scores (from their sum). */
  mean: number | null;
  /** Share of scored predictions below `lowConfidenceThreshold`. */
  lowConfidenceShare: number | null;
}

export type ConfidenceBucket = BucketPoint & ConfidenceStats;

export interface DashboardConfidence {
  window: DashboardWindow;
  slice: EchoedSlice;
  /** False for a segment slice: segment rollups hold counts only, no scores. */
  available: boolean;
  unavailableReason: "segment_slice" | null;
  lowConfidenceThreshold: number;
  buckets: ConfidenceBucket[];
  totals: ConfidenceStats & { scoredCount: number };
}

const BANDS = [0.1, 0.5, 0.9] as const;

/** Confidence bands, mean and low-confidence share per bucket, from the score histograms. */
export async function computeConfidence(query: DashboardQuery): Promise<DashboardConfidence> {
  const axis = buildBucketAxis(query.window);
  const base = {
    window: axis.window,
    slice: echoSlice(query.slice),
    lowConfidenceThreshold: LOW_CONFIDENCE_SCORE,
  };
  if (query.slice.segment) {
    return {
      ...base,
      available: false,
      unavailableReason: "segment_slice",
      buckets: axis.points.map((point) => ({ ...point, ...confidenceStats(null) })),
      totals: { ...confidenceStats(null), scoredCount: 0 },
    };
  }
  const { perBucket, total } = await sumScoresPerBucket(query);
  return {
    ...base,
    available: true,
    unavailableReason: null,
    buckets: fillBuckets(
      axis,
      [...perBucket.entries()],
      ([bucketMs]) => bucketMs,
      ([, sums], point) => ({ ...point, ...confidenceStats(sums) }),
      (point) => ({ ...point, ...confidenceStats(null) }),
    ),
    totals: { ...confidenceStats(total), scoredCount: total.scoredCount },
  };
}

export function confidenceStats(sums: ScoreSums | null): ConfidenceStats {
  if (!sums) {
    return {
      scoredCount: null,
      p10: null,
      p50: null,
      p90: null,
      mean: null,
      lowConfidenceShare: null,
    };
  }
  const [p10, p50, p90] = quantilesFromHistogram(scoreBins(sums.histogram), BANDS);
  return {
    scoredCount: sums.scoredCount,
    p10: p10 ?? null,
    p50: p50 ?? null,
    p90: p90 ?? null,
    mean: shareOf(sums.scoreSum, sums.scoredCount),
    lowConfidenceShare: shareOf(sums.lowConfidenceCount, sums.scoredCount),
  };
}
