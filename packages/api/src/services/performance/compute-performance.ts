import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";

import type { Database } from "@plumbline/db/client";
import {
  ERROR_BUCKET_BOUNDS,
  LABEL_DELAY_BUCKET_BOUNDS_MS,
  SCORE_HISTOGRAM_BINS,
} from "@plumbline/db/histogram-buckets";

import { rollupSource, type HourMirroredRollup } from "../rollup-sources";
import {
  addPerformanceCounts,
  emptyPerformanceCounts,
  summarizePerformance,
  type PerformanceCounts,
  type PerformanceSummary,
} from "./summarize-performance";

const MINUTE_MS = 60_000;

/** The question: one model's performance over [from, to), in buckets of bucketMs. */
export const ComputePerformanceInput = z
  .object({
    modelId: z.uuid(),
    /** Inclusive; minutes before it are left out. */
    from: z.date(),
    /** Exclusive. */
    to: z.date(),
    /** A whole number of minutes (rollups are per minute); buckets align to the Unix epoch. */
    bucketMs: z
      .number()
      .int()
      .positive()
      .refine((ms) => ms % MINUTE_MS === 0, { message: "must be a whole number of minutes" }),
    version: z.string().min(1).optional(),
    deployment: z.string().min(1).optional(),
    /** Which named label to score against; by default the one with the most joined labels. */
    labelName: z.string().min(1).optional(),
  })
  .refine((input) => input.to.getTime() > input.from.getTime(), {
    message: "the window must end after it starts",
  })
  .refine((input) => (input.to.getTime() - input.from.getTime()) / input.bucketMs <= 10_000, {
    message: "at most 10,000 buckets",
  });
export type ComputePerformanceInput = z.input<typeof ComputePerformanceInput>;

/** The figures of one time bucket, [start, start + bucketMs). */
export interface PerformanceBucket extends PerformanceSummary {
  start: Date;
}

/**
 * A model's realised performance, by the time of the PREDICTIONS (a label arriving today for
 * last week's prediction improves last week's figures).
 */
export interface Performance {
  from: Date;
  to: Date;
  bucketMs: number;
  /** The label name the figures are scored against; null when no label has joined yet. */
  labelName: string | null;
  /** Every label name with joined labels in the window (for a picker), sorted. */
  labelNames: string[];
  /** The whole window: metrics of the summed counts (not a mean of the buckets' metrics). */
  overall: PerformanceSummary;
  /**
   * Every bucket from the one holding `from` to the one before `to`, oldest first, empty ones
   * included (their metrics null, their counts 0), so a chart draws a gap as a gap.
   */
  buckets: PerformanceBucket[];
}

/** The bucket start, in ms since the epoch, of a rollup row's minute. */
function bucketStartOf(bucketMs: number): SQL {
  // Inlined (bucketMs is a validated integer): GROUP BY must see the very expression it
  // groups, which bind parameters would make two different ones.
  return sql.raw(
    `(extract(epoch from date_bin('${bucketMs} milliseconds'::interval, r.minute, timestamptz '1970-01-01 00:00:00+00')) * 1000)::float8`,
  );
}

/** `array[sum(column[1]), ..., sum(column[length])]`: histograms summed element-wise. */
function sumElements(column: string, length: number): SQL {
  const elements = Array.from(
    { length },
    (_, index) => `coalesce(sum(r.${column}[${index + 1}]), 0)`,
  );
  return sql.raw(`array[${elements.join(", ")}]::float8[]`);
}

const total = (column: string) => sql.raw(`coalesce(sum(r.${column}), 0)::float8`);

interface WindowFilter {
  modelId: string;
  from: Date;
  to: Date;
  version?: string;
  deployment?: string;
}

/** One rollup's rows of the window (whole hours from its hour table when buckets allow). */
function rowsOf(
  table: HourMirroredRollup,
  columns: string,
  filter: WindowFilter,
  bucketMs: number | null,
  filters: SQL[] = [],
): SQL {
  return sql`(${rollupSource({ table, columns, ...filter, bucketMs, filters })}) r`;
}

/** Label names with joined labels in the window, the most joined first. */
async function joinedLabelNames(db: Database, filter: WindowFilter) {
  const rows = await db.execute<{ label_name: string; joined: number }>(sql`
    select r.label_name, ${total("joined_count")} as joined
    from ${rowsOf("label_rollups", "label_name, joined_count", { ...filter, deployment: undefined }, null)}
    group by r.label_name`);
  return [...rows].map((row) => ({ labelName: row.label_name, joined: row.joined }));
}

/**
 * Classifier and regressor performance of one model over a window, per time bucket and in
 * total, read from the per-minute rollups only (never raw predictions or labels):
 *
 * - classifiers: accuracy, per-class and macro precision, recall and F1 from
 *   `confusion_rollups_minute`; for binary classifiers ROC-AUC (trapezoid rule over the ROC
 *   curve whose points are the score-bin edges, ties inside a bin counted as 1/2) and the
 *   reliability diagram (mean P(positive) against the observed positive share per score bin)
 *   from `performance_rollups_minute`;
 * - regressors: MAE, RMSE, mean error and the error distribution;
 * - always label coverage (joined labels / predictions of the same minutes, from
 *   `label_rollups_minute` and `prediction_rollups_minute`; narrowed to a deployment through
 *   the joined counts of `performance_rollups_minute`, the only label rollup that has one)
 *   and label delay (mean, p50, p90 from the delay histogram).
 *
 * Minute rollups are re-bucketed in SQL with `date_bin` from the Unix epoch, so buckets match
 * the dashboard's. Input is validated (throws a ZodError on a bad window).
 */
export async function computePerformance(
  db: Database,
  rawInput: ComputePerformanceInput,
): Promise<Performance> {
  const input = ComputePerformanceInput.parse(rawInput);
  const { bucketMs } = input;
  const filter: WindowFilter = {
    modelId: input.modelId,
    from: input.from,
    to: input.to,
    version: input.version,
    deployment: input.deployment,
  };

  const names = await joinedLabelNames(db, filter);
  names.sort((a, b) => b.joined - a.joined || (a.labelName < b.labelName ? -1 : 1));
  const labelName = input.labelName ?? names[0]?.labelName ?? null;

  const bucket = bucketStartOf(bucketMs);
  const predictionsQuery = db.execute<{ start: number; count: number }>(sql`
    select ${bucket} as start, ${total("count")} as count
    from ${rowsOf("prediction_rollups", "count", filter, bucketMs)}
    group by 1`);

  const labelFilters = labelName === null ? [] : [sql`label_name = ${labelName}`];
  const labelsQuery =
    labelName === null
      ? Promise.resolve([])
      : db.execute<{
          start: number;
          joined: number;
          delaySumMs: number;
          delayHistogram: number[];
        }>(sql`
          select ${bucket} as start, ${total("joined_count")} as joined,
            ${total("delay_sum_ms")} as "delaySumMs",
            ${sumElements("delay_histogram", LABEL_DELAY_BUCKET_BOUNDS_MS.length + 1)} as "delayHistogram"
          from ${rowsOf(
            "label_rollups",
            "joined_count, delay_sum_ms, delay_histogram",
            { ...filter, deployment: undefined },
            bucketMs,
            labelFilters,
          )}
          group by 1`);

  const performanceQuery =
    labelName === null
      ? Promise.resolve([])
      : db.execute<{
          start: number;
          joined: number;
          positive: number[];
          negative: number[];
          scoreSums: number[];
          regressionCount: number;
          absoluteErrorSum: number;
          squaredErrorSum: number;
          errorSum: number;
          errorHistogram: number[];
        }>(sql`
          select ${bucket} as start, ${total("joined_count")} as joined,
            ${sumElements("positive_score_histogram", SCORE_HISTOGRAM_BINS)} as positive,
            ${sumElements("negative_score_histogram", SCORE_HISTOGRAM_BINS)} as negative,
            ${sumElements("score_sum_by_bin", SCORE_HISTOGRAM_BINS)} as "scoreSums",
            ${total("regression_count")} as "regressionCount",
            ${total("absolute_error_sum")} as "absoluteErrorSum",
            ${total("squared_error_sum")} as "squaredErrorSum",
            ${total("error_sum")} as "errorSum",
            ${sumElements("error_histogram", ERROR_BUCKET_BOUNDS.length + 1)} as "errorHistogram"
          from ${rowsOf(
            "performance_rollups",
            "joined_count, positive_score_histogram, negative_score_histogram, score_sum_by_bin, " +
              "regression_count, absolute_error_sum, squared_error_sum, error_sum, error_histogram",
            filter,
            bucketMs,
            labelFilters,
          )}
          group by 1`);

  const confusionQuery =
    labelName === null
      ? Promise.resolve([])
      : db.execute<{ start: number; predicted: string; actual: string; count: number }>(sql`
          select ${bucket} as start, r.predicted_class as predicted, r.actual_class as actual,
            ${total("count")} as count
          from ${rowsOf(
            "confusion_rollups",
            "predicted_class, actual_class, count",
            filter,
            bucketMs,
            labelFilters,
          )}
          group by 1, 2, 3`);

  const [predictionRows, labelRows, performanceRows, confusionRows] = await Promise.all([
    predictionsQuery,
    labelsQuery,
    performanceQuery,
    confusionQuery,
  ]);

  const firstStart = Math.floor(input.from.getTime() / bucketMs) * bucketMs;
  const counts = new Map<number, PerformanceCounts>();
  for (let start = firstStart; start < input.to.getTime(); start += bucketMs) {
    counts.set(start, emptyPerformanceCounts());
  }
  const bucketAt = (start: number) => counts.get(start);

  for (const row of predictionRows) {
    const bucket = bucketAt(row.start);
    if (bucket) bucket.predictions += row.count;
  }
  for (const row of labelRows) {
    const bucket = bucketAt(row.start);
    if (!bucket) continue;
    // label_rollups_minute has no deployment: narrowed to one, coverage counts the joins the
    // performance rollups saw for it instead.
    if (input.deployment === undefined) bucket.joined += row.joined;
    bucket.delayCount += row.joined;
    bucket.delaySumMs += row.delaySumMs;
    bucket.delayHistogram = row.delayHistogram;
  }
  for (const row of performanceRows) {
    const bucket = bucketAt(row.start);
    if (!bucket) continue;
    if (input.deployment !== undefined) bucket.joined += row.joined;
    bucket.positiveScoreHistogram = row.positive;
    bucket.negativeScoreHistogram = row.negative;
    bucket.scoreSumByBin = row.scoreSums;
    bucket.regressionCount = row.regressionCount;
    bucket.absoluteErrorSum = row.absoluteErrorSum;
    bucket.squaredErrorSum = row.squaredErrorSum;
    bucket.errorSum = row.errorSum;
    bucket.errorHistogram = row.errorHistogram;
  }
  for (const row of confusionRows) {
    bucketAt(row.start)?.confusion.push({
      predicted: row.predicted,
      actual: row.actual,
      count: row.count,
    });
  }

  const overall = emptyPerformanceCounts();
  const buckets: PerformanceBucket[] = [];
  for (const [start, bucket] of counts) {
    addPerformanceCounts(overall, bucket);
    buckets.push({ start: new Date(start), ...summarizePerformance(bucket) });
  }
  return {
    from: input.from,
    to: input.to,
    bucketMs,
    labelName,
    labelNames: names.map((name) => name.labelName).sort(),
    overall: summarizePerformance(overall),
    buckets,
  };
}
