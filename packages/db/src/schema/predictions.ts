// citus: distributed by model id (predictions, prediction_keys)
import {
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Raw prediction logs, append-only, RANGE-partitioned by day on `ts` (the migration adds
 * `PARTITION BY RANGE (ts)`; drizzle-kit cannot express it). Retention drops whole partitions.
 *
 * The primary key leads with the model id and carries the partition key, as the scale-out rules
 * (docs/scale-out.md) require. The version is part of it because a shadow or canary version may log the same
 * prediction id as the stable one. Deduplication needs a key without the timestamp, which a
 * partitioned table cannot enforce: `prediction_keys` holds it and is written in the same
 * transaction.
 */
export const predictions = pgTable(
  "predictions",
  {
    modelId: uuid().notNull(),
    ts: timestamp({ withTimezone: true }).notNull(),
    predictionId: text().notNull(),
    version: text().notNull(),
    deployment: text().notNull().default("stable"),
    environment: text().notNull().default("production"),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    features: jsonb().$type<Record<string, unknown>>().notNull(),
    prediction: jsonb().$type<Record<string, unknown>>().notNull(),
    actual: jsonb().$type<Record<string, unknown>>(),
    segments: jsonb().$type<Record<string, string | number | boolean>>(),
    metadata: jsonb().$type<Record<string, unknown>>(),
    /** Denormalised from `prediction.score` for fast aggregation. */
    score: doublePrecision(),
    requestId: text(),
    traceId: text(),
    spanId: text(),
    latencyMs: real(),
    status: text().notNull().default("ok"),
    errorCode: text(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.ts, table.predictionId, table.version] }),
    index("predictions_model_version_ts_idx").on(table.modelId, table.version, table.ts),
    index("predictions_model_prediction_idx").on(table.modelId, table.predictionId),
  ],
);

/**
 * The dedup key of a prediction: (model, version, prediction id) -> its timestamp and a hash
 * of its payload. A replayed record finds its key and is a duplicate when the hash matches,
 * a conflict when it does not.
 */
export const predictionKeys = pgTable(
  "prediction_keys",
  {
    modelId: uuid().notNull(),
    version: text().notNull(),
    predictionId: text().notNull(),
    ts: timestamp({ withTimezone: true }).notNull(),
    payloadHash: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.modelId, table.version, table.predictionId] })],
);

export type Prediction = typeof predictions.$inferSelect;
export type NewPrediction = typeof predictions.$inferInsert;
