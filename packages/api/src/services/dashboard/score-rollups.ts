import { sql } from "drizzle-orm";

import { SCORE_HISTOGRAM_BINS } from "@plumbline/db/histogram-buckets";

import type { DashboardQuery } from "./dashboard-query";
import { rollupSource } from "../rollup-sources";
import { bucketStart, bucketStartMs, histogramSum, selectRows } from "./rollup-sql";

/** Score sums of one bucket (or of the whole window) from `prediction_rollups_minute`. */
export interface ScoreSums {
  scoredCount: number;
  scoreSum: number;
  lowConfidenceCount: number;
  /** SCORE_HISTOGRAM_BINS equal-width bins over [0, 1]. */
  histogram: number[];
}

interface ScoreRow {
  bucket_ms: number;
  score_count: number;
  score_sum: number;
  low_confidence_count: number;
  score_histogram: number[];
}

/**
 * Score sums per bucket of the window, for the version and deployment slice (segment rollups
 * hold no scores: callers refuse segment slices first), and their total over the window.
 */
export async function sumScoresPerBucket(
  query: DashboardQuery,
): Promise<{ perBucket: Map<number, ScoreSums>; total: ScoreSums }> {
  const { db, model, window, slice } = query;
  const rows = await selectRows<ScoreRow>(
    db,
    sql`
      select ${bucketStartMs(sql.raw("r.minute"), window.bucketMs)} as bucket_ms,
        sum(r.score_count)::float8 as score_count, sum(r.score_sum)::float8 as score_sum,
        sum(r.low_confidence_count)::float8 as low_confidence_count,
        ${histogramSum("r.score_histogram", SCORE_HISTOGRAM_BINS)} as score_histogram
      from (${rollupSource({
        table: "prediction_rollups",
        columns: "score_count, score_sum, low_confidence_count, score_histogram",
        modelId: model.id,
        from: window.from,
        to: window.to,
        bucketMs: window.bucketMs,
        version: slice.version,
        deployment: slice.deployment,
      })}) r
      group by ${bucketStart(sql.raw("r.minute"), window.bucketMs)}`,
  );
  const total = emptyScoreSums();
  const perBucket = new Map<number, ScoreSums>();
  for (const row of rows) {
    const sums: ScoreSums = {
      scoredCount: row.score_count,
      scoreSum: row.score_sum,
      lowConfidenceCount: row.low_confidence_count,
      histogram: row.score_histogram,
    };
    perBucket.set(row.bucket_ms, sums);
    total.scoredCount += sums.scoredCount;
    total.scoreSum += sums.scoreSum;
    total.lowConfidenceCount += sums.lowConfidenceCount;
    sums.histogram.forEach((n, index) => (total.histogram[index]! += n));
  }
  return { perBucket, total };
}

function emptyScoreSums(): ScoreSums {
  return {
    scoredCount: 0,
    scoreSum: 0,
    lowConfidenceCount: 0,
    histogram: new Array<number>(SCORE_HISTOGRAM_BINS).fill(0),
  };
}
