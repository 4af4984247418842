import { sql } from "drizzle-orm";

import type { SideSums } from "@plumbline/rollouts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { SCORE_HISTOGRAM_BINS } from "@plumbline/db/histogram-buckets";

import { quantileFromHistogram } from "../dashboard/histogram-quantile";
import { LATENCY_BUCKETS, latencyBins } from "../dashboard/rollup-histograms";
import { histogramSum, selectRows } from "../dashboard/rollup-sql";
import { rollupSource } from "../rollup-sources";

const MINUTE_MS = 60_000;

/**
 * The window a measurement reads from the per-minute rollups: whole minutes from the one that
 * holds `from` up to `to` (the minute in progress included), the same for canary and stable. A
 * sub-minute interval therefore reads the current minute so far: both sides alike.
 */
export function rollupWindow(window: { from: Date; to: Date }): { from: Date; to: Date } {
  return {
    from: new Date(Math.floor(window.from.getTime() / MINUTE_MS) * MINUTE_MS),
    to: window.to,
  };
}

interface PredictionSumsRow {
  count: number | null;
  error_count: number | null;
  latency_count: number | null;
  latency_histogram: number[] | null;
  score_count: number | null;
  score_sum: number | null;
  low_confidence_count: number | null;
  score_histogram: number[] | null;
}

interface LabelSumsRow {
  labelled: number | null;
  correct: number | null;
}

/**
 * One side's sums over a window: volume, errors, latency histogram (its p99 read with the
 * dashboard's histogram quantile), scores and their histogram from `prediction_rollups`, and
 * joined labels from `confusion_rollups` (right = predicted class equals the actual class).
 * The side is one model version, whatever deployment label its records carried.
 */
export async function readSideSums(
  db: DatabaseOrTransaction,
  input: { modelId: string; version: string; from: Date; to: Date },
): Promise<SideSums> {
  const where = {
    modelId: input.modelId,
    from: input.from,
    to: input.to,
    bucketMs: null,
    version: input.version,
  };
  const [predictions] = await selectRows<PredictionSumsRow>(
    db,
    sql`
      select sum(r.count)::float8 as count, sum(r.error_count)::float8 as error_count,
        sum(r.latency_count)::float8 as latency_count,
        ${histogramSum("r.latency_histogram", LATENCY_BUCKETS)} as latency_histogram,
        sum(r.score_count)::float8 as score_count, sum(r.score_sum)::float8 as score_sum,
        sum(r.low_confidence_count)::float8 as low_confidence_count,
        ${histogramSum("r.score_histogram", SCORE_HISTOGRAM_BINS)} as score_histogram
      from (${rollupSource({
        ...where,
        table: "prediction_rollups",
        columns:
          "count, error_count, latency_count, latency_histogram, score_count, score_sum, " +
          "low_confidence_count, score_histogram",
      })}) r`,
  );
  const [labels] = await selectRows<LabelSumsRow>(
    db,
    sql`
      select sum(c.count)::float8 as labelled,
        sum(case when c.predicted_class = c.actual_class then c.count else 0 end)::float8 as correct
      from (${rollupSource({
        ...where,
        table: "confusion_rollups",
        columns: "count, predicted_class, actual_class",
      })}) c`,
  );
  const latencyHistogram = predictions?.latency_histogram ?? [];
  return {
    count: predictions?.count ?? 0,
    errorCount: predictions?.error_count ?? 0,
    latencyCount: predictions?.latency_count ?? 0,
    latencyP99Ms: quantileFromHistogram(latencyBins(latencyHistogram), 0.99),
    scoreCount: predictions?.score_count ?? 0,
    scoreSum: predictions?.score_sum ?? 0,
    lowConfidenceCount: predictions?.low_confidence_count ?? 0,
    scoreHistogram:
      predictions?.score_histogram ?? Array.from({ length: SCORE_HISTOGRAM_BINS }, () => 0),
    labelled: labels?.labelled ?? 0,
    correct: labels?.correct ?? 0,
  };
}
