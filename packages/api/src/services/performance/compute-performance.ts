import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";

import type { Database } from "@plumbline/db/client";
import {
  ERROR_BUCKET_BOUNDS,
  LABEL_DELAY_BUCKET_BOUNDS_MS,
  SCORE_HISTOGRAM_BINS,
} from "@plumbline/db/histogram-buckets";
import {
  confusionRollupsMinute,
  labelRollupsMinute,
  performanceRollupsMinute,
  predictionRollupsMinute,
} from "@plumbline/db/schema";

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

/** The bucket start, in ms since the epoch, of a rollup's minute. */
function bucketStartOf(column: PgColumn, bucketMs: number): SQL<number> {
  // Inlined (bucketMs is a validated integer): GROUP BY must see the very expression it
  // groups, which bind parameters would make two different ones.
  return sql<number>`(extract(epoch from date_bin(${sql.raw(`'${bucketMs} milliseconds'`)}::interval, ${column}, timestamptz '1970-01-01 00:00:00+00')) * 1000)::float8`;
}

/** `array[sum(column[1]), ..., sum(column[length])]`: histograms summed element-wise. */
function sumElements(column: PgColumn, length: number): SQL<number[]> {
  const elements = Array.from(
    { length },
    (_, index) => sql`coalesce(sum(${column}[${sql.raw(String(index + 1))}]), 0)`,
  );
  return sql<number[]>`array[${sql.join(elements, sql`, `)}]::float8[]`;
}

const total = (column: PgColumn) => sql<number>`coalesce(sum(${column}), 0)::float8`;

interface WindowFilter {
  modelId: string;
  from: Date;
  to: Date;
  version?: string;
  deployment?: string;
}

function windowOf(
  table: { modelId: PgColumn; minute: PgColumn; version: PgColumn; deployment?: PgColumn },
  filter: WindowFilter,
): SQL | undefined {
  return and(
    eq(table.modelId, filter.modelId),
    gte(table.minute, filter.from),
    lt(table.minute, filter.to),
    filter.version === undefined ? undefined : eq(table.version, filter.version),
    filter.deployment === undefined || !table.deployment
      ? undefined
      : eq(table.deployment, filter.deployment),
  );
}

/** Label names with joined labels in the window, the most joined first. */
async function joinedLabelNames(db: Database, filter: WindowFilter) {
  return db
    .select({
      labelName: labelRollupsMinute.labelName,
      joined: total(labelRollupsMinute.joinedCount),
    })
    .from(labelRollupsMinute)
    .where(windowOf(labelRollupsMinute, { ...filter, deployment: undefined }))
    .groupBy(labelRollupsMinute.labelName);
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

  const predictionBucket = bucketStartOf(predictionRollupsMinute.minute, bucketMs);
  const predictionsQuery = db
    .select({ start: predictionBucket, count: total(predictionRollupsMinute.count) })
    .from(predictionRollupsMinute)
    .where(windowOf(predictionRollupsMinute, filter))
    .groupBy(predictionBucket);

  const labelBucket = bucketStartOf(labelRollupsMinute.minute, bucketMs);
  const labelsQuery =
    labelName === null
      ? Promise.resolve([])
      : db
          .select({
            start: labelBucket,
            joined: total(labelRollupsMinute.joinedCount),
            delaySumMs: total(labelRollupsMinute.delaySumMs),
            delayHistogram: sumElements(
              labelRollupsMinute.delayHistogram,
              LABEL_DELAY_BUCKET_BOUNDS_MS.length + 1,
            ),
          })
          .from(labelRollupsMinute)
          .where(
            and(
              windowOf(labelRollupsMinute, { ...filter, deployment: undefined }),
              eq(labelRollupsMinute.labelName, labelName),
            ),
          )
          .groupBy(labelBucket);

  const performanceBucket = bucketStartOf(performanceRollupsMinute.minute, bucketMs);
  const r = performanceRollupsMinute;
  const performanceQuery =
    labelName === null
      ? Promise.resolve([])
      : db
          .select({
            start: performanceBucket,
            joined: total(r.joinedCount),
            positive: sumElements(r.positiveScoreHistogram, SCORE_HISTOGRAM_BINS),
            negative: sumElements(r.negativeScoreHistogram, SCORE_HISTOGRAM_BINS),
            scoreSums: sumElements(r.scoreSumByBin, SCORE_HISTOGRAM_BINS),
            regressionCount: total(r.regressionCount),
            absoluteErrorSum: total(r.absoluteErrorSum),
            squaredErrorSum: total(r.squaredErrorSum),
            errorSum: total(r.errorSum),
            errorHistogram: sumElements(r.errorHistogram, ERROR_BUCKET_BOUNDS.length + 1),
          })
          .from(r)
          .where(and(windowOf(r, filter), eq(r.labelName, labelName)))
          .groupBy(performanceBucket);

  const confusionBucket = bucketStartOf(confusionRollupsMinute.minute, bucketMs);
  const c = confusionRollupsMinute;
  const confusionQuery =
    labelName === null
      ? Promise.resolve([])
      : db
          .select({
            start: confusionBucket,
            predicted: c.predictedClass,
            actual: c.actualClass,
            count: total(c.count),
          })
          .from(c)
          .where(and(windowOf(c, filter), eq(c.labelName, labelName)))
          .groupBy(confusionBucket, c.predictedClass, c.actualClass);

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
