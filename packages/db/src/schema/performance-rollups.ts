// citus: distributed by model id (every table; co-located with predictions and labels)
import {
  bigint,
  doublePrecision,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Model performance once labels join their predictions, per minute of the PREDICTION (so a
 * window's accuracy describes the predictions made in it, whenever their labels arrived), per
 * (model, version, deployment, label name). Ingest adds a label's contribution when it meets
 * its prediction, in either arrival order, in the transaction of the write; a revised label
 * (higher revision) subtracts its previous contribution and adds the new one, so it is never
 * counted twice. The previous contribution is the one kept on the label row
 * (`labels.performance_contribution`). Counts therefore only ever change by `n + excluded.n`
 * with a signed `n`, never by read-modify-write in application code.
 */

const histogram = () =>
  bigint({ mode: "number" })
    .array()
    .notNull()
    .default([] as number[]);

const sums = () =>
  doublePrecision()
    .array()
    .notNull()
    .default([] as number[]);

const counter = () => bigint({ mode: "number" }).notNull().default(0);

/**
 * The confusion matrix: joined (prediction, label) pairs per (predicted class, actual class).
 * A class is the text of `prediction.label` (or the arg-max of `prediction.scores`) and of the
 * label's `actual.label`: `true`, `1` and `"fraud"` become `true`, `1` and `fraud`.
 */
export const confusionRollupsMinute = pgTable(
  "confusion_rollups_minute",
  {
    modelId: uuid().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    labelName: text().notNull(),
    predictedClass: text().notNull(),
    actualClass: text().notNull(),
    count: counter(),
  },
  (table) => [
    primaryKey({
      name: "confusion_rollups_minute_pk",
      columns: [
        table.modelId,
        table.minute,
        table.version,
        table.deployment,
        table.labelName,
        table.predictedClass,
        table.actualClass,
      ],
    }),
  ],
);

/** `confusion_rollups_minute` summed per hour (a trigger keeps it exact), `hour` for `minute`. */
export const confusionRollupsHour = pgTable(
  "confusion_rollups_hour",
  {
    modelId: uuid().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    labelName: text().notNull(),
    predictedClass: text().notNull(),
    actualClass: text().notNull(),
    count: counter(),
  },
  (table) => [
    primaryKey({
      name: "confusion_rollups_hour_pk",
      columns: [
        table.modelId,
        table.hour,
        table.version,
        table.deployment,
        table.labelName,
        table.predictedClass,
        table.actualClass,
      ],
    }),
  ],
);

/**
 * Score and error aggregates of joined pairs.
 *
 * Binary classifiers: the probability of the positive class, P(positive), binned like
 * `prediction_rollups_minute.score_histogram` (SCORE_HISTOGRAM_BINS equal-width bins over
 * [0, 1]) and split by whether the actual label is the positive class; ROC-AUC and the
 * reliability diagram are computed from these bins. `score_sum_by_bin` holds the sum of
 * P(positive) per bin (both actual classes), for the mean predicted score of each bin.
 *
 * Regressors: error = predicted `value` - actual `value`, as count and sums (MAE, RMSE, mean
 * error) and in the fixed ERROR_BUCKET_BOUNDS buckets.
 *
 * `joined_count` counts every joined label of the key, whatever it contributed, so label
 * coverage can be narrowed to a deployment (label_rollups_minute has none).
 */
export const performanceRollupsMinute = pgTable(
  "performance_rollups_minute",
  {
    modelId: uuid().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    labelName: text().notNull(),
    joinedCount: counter(),
    /** P(positive) bin counts of pairs whose actual label is the positive class. */
    positiveScoreHistogram: histogram(),
    /** P(positive) bin counts of pairs whose actual label is another class. */
    negativeScoreHistogram: histogram(),
    /** Sum of P(positive) per bin, over both actual classes. */
    scoreSumByBin: sums(),
    regressionCount: counter(),
    absoluteErrorSum: doublePrecision().notNull().default(0),
    squaredErrorSum: doublePrecision().notNull().default(0),
    /** Sum of signed errors (predicted - actual): the bias. */
    errorSum: doublePrecision().notNull().default(0),
    /** Errors in the fixed ERROR_BUCKET_BOUNDS buckets (upper bounds, +inf last). */
    errorHistogram: histogram(),
  },
  (table) => [
    primaryKey({
      name: "performance_rollups_minute_pk",
      columns: [table.modelId, table.minute, table.version, table.deployment, table.labelName],
    }),
  ],
);

/**
 * `performance_rollups_minute` summed per hour (a trigger keeps it exact; `score_sum_by_bin`
 * added by `plumbline_add_sums`), with `hour` in place of `minute`.
 */
export const performanceRollupsHour = pgTable(
  "performance_rollups_hour",
  {
    modelId: uuid().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    labelName: text().notNull(),
    joinedCount: counter(),
    positiveScoreHistogram: histogram(),
    negativeScoreHistogram: histogram(),
    scoreSumByBin: sums(),
    regressionCount: counter(),
    absoluteErrorSum: doublePrecision().notNull().default(0),
    squaredErrorSum: doublePrecision().notNull().default(0),
    errorSum: doublePrecision().notNull().default(0),
    errorHistogram: histogram(),
  },
  (table) => [
    primaryKey({
      name: "performance_rollups_hour_pk",
      columns: [table.modelId, table.hour, table.version, table.deployment, table.labelName],
    }),
  ],
);

/**
 * What one joined label added to the performance rollups, kept on its label row so that a
 * revision can subtract exactly that (whatever rules or registry data say by then). The key
 * fields name the rollup rows it touched; the rest are the parts it added.
 */
export interface PerformanceContribution {
  version: string;
  deployment: string;
  /** Start of the prediction's minute, ISO 8601. */
  minute: string;
  /** One cell of the confusion matrix; null when the prediction or the label has no class. */
  confusion: { predicted: string; actual: string } | null;
  /** P(positive) of a binary classifier and whether the label is the positive class. */
  score: { value: number; bin: number; positive: boolean } | null;
  /** Predicted minus actual value of a regressor. */
  error: number | null;
}

export type ConfusionRollupMinute = typeof confusionRollupsMinute.$inferSelect;
export type PerformanceRollupMinute = typeof performanceRollupsMinute.$inferSelect;
