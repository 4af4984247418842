// citus: distributed by model id (every rollup table; co-located with predictions)
import {
  type AnyPgColumn,
  bigint,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Rollups are what dashboards and drift read; nothing scans raw predictions. Ingest only ever
 * adds to them (`n = n + excluded.n`, histogram arrays added element-wise by
 * `plumbline_add_counts`), inside the transaction that writes the raw rows, so they stay exact
 * under concurrent writers and across ingest instances.
 */

/** A `bigint[]` histogram; the length is fixed by its column's bucket definition. */
const histogram = () =>
  bigint({ mode: "number" })
    .array()
    .notNull()
    .default([] as number[]);

const counter = () => bigint({ mode: "number" }).notNull().default(0);

/** Per-minute rollups per (model, version, deployment). */
export const predictionRollupsMinute = pgTable(
  "prediction_rollups_minute",
  {
    modelId: uuid().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    count: counter(),
    scoreCount: counter(),
    scoreSum: doublePrecision().notNull().default(0),
    /** Scores in SCORE_HISTOGRAM_BINS equal-width bins over [0, 1] (1.0 in the last). */
    scoreHistogram: histogram(),
    lowConfidenceCount: counter(),
    errorCount: counter(),
    latencyCount: counter(),
    latencySumMs: doublePrecision().notNull().default(0),
    /** Latencies in the fixed LATENCY_BUCKET_BOUNDS_MS buckets (upper bounds, +inf last). */
    latencyHistogram: histogram(),
    /** Duplicates seen by ingest; not part of `count`. */
    duplicateCount: integer().notNull().default(0),
    /** Features absent from the model's registered schema, one per (record, feature). */
    unknownFeatureCount: counter(),
    /** Feature values whose type differs from the registered one, one per (record, feature). */
    typeMismatchCount: counter(),
    /** CloudEvent halves stored without their partner after the join timeout. */
    partialCount: counter(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.minute, table.version, table.deployment] }),
  ],
);

/**
 * `prediction_rollups_minute` summed per hour, kept exact by a trigger on the minute table like
 * `feature_bin_rollups_hour`, so the model page over days reads 60 times fewer rows. Same key
 * and columns as the minute table, with `hour` in place of `minute`.
 */
export const predictionRollupsHour = pgTable(
  "prediction_rollups_hour",
  {
    modelId: uuid().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    count: counter(),
    scoreCount: counter(),
    scoreSum: doublePrecision().notNull().default(0),
    scoreHistogram: histogram(),
    lowConfidenceCount: counter(),
    errorCount: counter(),
    latencyCount: counter(),
    latencySumMs: doublePrecision().notNull().default(0),
    latencyHistogram: histogram(),
    /** A bigint here: 60 minutes of integer counts may not fit an integer. */
    duplicateCount: counter(),
    unknownFeatureCount: counter(),
    typeMismatchCount: counter(),
    partialCount: counter(),
  },
  (table) => [
    primaryKey({
      name: "prediction_rollups_hour_pk",
      columns: [table.modelId, table.hour, table.version, table.deployment],
    }),
  ],
);

/** Records per segment value, per minute: the slices of the dashboard. */
export const segmentRollupsMinute = pgTable(
  "segment_rollups_minute",
  {
    modelId: uuid().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    segment: text().notNull(),
    /** The value as text (`"eu"`, `3`, `true` become `eu`, `3`, `true`). */
    value: text().notNull(),
    count: counter(),
  },
  (table) => [
    primaryKey({
      name: "segment_rollups_minute_pk",
      columns: [
        table.modelId,
        table.minute,
        table.version,
        table.deployment,
        table.segment,
        table.value,
      ],
    }),
  ],
);

/** `segment_rollups_minute` summed per hour (a trigger keeps it exact), with `hour` for `minute`. */
export const segmentRollupsHour = pgTable(
  "segment_rollups_hour",
  {
    modelId: uuid().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    deployment: text().notNull(),
    segment: text().notNull(),
    value: text().notNull(),
    count: counter(),
  },
  (table) => [
    primaryKey({
      name: "segment_rollups_hour_pk",
      columns: [
        table.modelId,
        table.hour,
        table.version,
        table.deployment,
        table.segment,
        table.value,
      ],
    }),
  ],
);

/** The key and counts shared by every level of the bin-count rollups, after the time column. */
const featureBinColumns = () => ({
  version: text().notNull(),
  deployment: text().notNull(),
  /** `feature`, `prediction` or `score`. */
  target: text().notNull(),
  name: text().notNull(),
  profileRevision: integer().notNull(),
  /** Aligned with the profile's bins, out-of-vocabulary bin last. */
  counts: histogram(),
  /** Absent, null, NaN or infinite values. */
  missing: counter(),
  /** Numeric values below the reference minimum or above its maximum (also in `counts`). */
  outOfRange: counter(),
  /** Categories (or value-binned numbers) the reference never saw (the OOV bin). */
  unseen: counter(),
  /** Values of the wrong type for the profile (a string for a numeric feature, an array). */
  typeMismatch: counter(),
});

/** The primary key of a bin-count level: the model, the level's time column, then the rest. */
function featureBinKey(
  name: string,
  table: Record<
    "modelId" | "version" | "deployment" | "target" | "name" | "profileRevision",
    AnyPgColumn
  >,
  time: AnyPgColumn,
) {
  return primaryKey({
    name,
    columns: [
      table.modelId,
      time,
      table.version,
      table.deployment,
      table.target,
      table.name,
      table.profileRevision,
    ],
  });
}

/**
 * Per-minute bin counts of each profiled feature (and of the prediction and score) against the
 * version's reference profile, so drift over any window is computed from stored counts. The
 * profile revision is part of the key: a replaced baseline starts new rows instead of adding
 * counts of different bins together.
 */
export const featureBinRollupsMinute = pgTable(
  "feature_bin_rollups_minute",
  {
    modelId: uuid().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    ...featureBinColumns(),
  },
  (table) => [featureBinKey("feature_bin_rollups_minute_pk", table, table.minute)],
);

/**
 * `feature_bin_rollups_minute` summed per hour, so drift over days reads 60 times fewer rows
 * (30 days of 20 features: about 15,000 rows instead of 900,000). A trigger on the minute table
 * adds every change of a minute row to its hour row in the same transaction, so every writer
 * (ingest, seeds, COPY) keeps both exact without knowing about this table. Same key and columns
 * as the minute table, with `hour` in place of `minute`.
 */
export const featureBinRollupsHour = pgTable(
  "feature_bin_rollups_hour",
  {
    modelId: uuid().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    ...featureBinColumns(),
  },
  (table) => [featureBinKey("feature_bin_rollups_hour_pk", table, table.hour)],
);

/**
 * `feature_bin_rollups_hour` summed per 6 hours (periods starting 00, 06, 12 and 18 UTC), so
 * drift over weeks reads 6 times fewer rows again: a 30-day heat map is cut in 6-hour buckets
 * and a 90-day one in days, both whole periods. A trigger on the hour table adds every change
 * of an hour row to its period in the same transaction, as the hour table follows the minutes.
 * Same key and columns, with `period` (the period's start) in place of `hour`.
 */
export const featureBinRollupsSixHours = pgTable(
  "feature_bin_rollups_6h",
  {
    modelId: uuid().notNull(),
    period: timestamp({ withTimezone: true }).notNull(),
    ...featureBinColumns(),
  },
  (table) => [featureBinKey("feature_bin_rollups_6h_pk", table, table.period)],
);

/**
 * Labels joined to their predictions, per minute of the prediction: label coverage is
 * `joined_count / count` of the prediction rollup, label delay its sum and histogram. A label
 * counts once, when it first meets its prediction; later revisions do not count again.
 */
export const labelRollupsMinute = pgTable(
  "label_rollups_minute",
  {
    modelId: uuid().notNull(),
    minute: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    labelName: text().notNull(),
    joinedCount: counter(),
    delaySumMs: doublePrecision().notNull().default(0),
    /** Delays in the fixed LABEL_DELAY_BUCKET_BOUNDS_MS buckets. */
    delayHistogram: histogram(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.minute, table.version, table.labelName] }),
  ],
);

/** `label_rollups_minute` summed per hour (a trigger keeps it exact), with `hour` for `minute`. */
export const labelRollupsHour = pgTable(
  "label_rollups_hour",
  {
    modelId: uuid().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    version: text().notNull(),
    labelName: text().notNull(),
    joinedCount: counter(),
    delaySumMs: doublePrecision().notNull().default(0),
    delayHistogram: histogram(),
  },
  (table) => [
    primaryKey({
      name: "label_rollups_hour_pk",
      columns: [table.modelId, table.hour, table.version, table.labelName],
    }),
  ],
);

export type PredictionRollupMinute = typeof predictionRollupsMinute.$inferSelect;
export type FeatureBinRollupMinute = typeof featureBinRollupsMinute.$inferSelect;
export type FeatureBinRollupHour = typeof featureBinRollupsHour.$inferSelect;
