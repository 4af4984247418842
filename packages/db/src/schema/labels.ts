// citus: distributed by model id (co-located with predictions)
import { sql } from "drizzle-orm";
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

import type { PerformanceContribution } from "./performance-rollups";

/**
 * Delayed ground truth, one row per (model, prediction id, label name): an upsert where the
 * higher revision wins. `version` null means the label applies to every version that logged the
 * prediction id. A label may arrive before its prediction: `joinedAt` stays null until the
 * prediction is stored (within the join window), then the label delay is recorded.
 */
export const labels = pgTable(
  "labels",
  {
    modelId: uuid().notNull(),
    predictionId: text().notNull(),
    labelName: text().notNull(),
    version: text(),
    actual: jsonb().$type<Record<string, unknown>>().notNull(),
    /** When the truth was observed; defaults to when ingest received it. */
    observedAt: timestamp({ withTimezone: true }).notNull(),
    source: text(),
    annotator: text(),
    weight: doublePrecision().notNull().default(1),
    revision: integer().notNull().default(0),
    metadata: jsonb().$type<Record<string, unknown>>(),
    /** Hash of the label's content, so a retried label is a duplicate, not a conflict. */
    payloadHash: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    joinedAt: timestamp({ withTimezone: true }),
    /** Timestamp of the (earliest) prediction it joined. */
    predictionTs: timestamp({ withTimezone: true }),
    /** observed_at - prediction timestamp, in milliseconds. */
    delayMs: doublePrecision(),
    /**
     * What this label added to the performance rollups when it joined (or was last revised);
     * a higher revision subtracts it before adding its own. Null while pending.
     */
    performanceContribution: jsonb().$type<PerformanceContribution>(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.predictionId, table.labelName] }),
    // Small: only labels still waiting for their prediction, probed on every prediction batch.
    index("labels_pending_idx")
      .on(table.modelId, table.predictionId)
      .where(sql`${table.joinedAt} is null`),
  ],
);

export type Label = typeof labels.$inferSelect;
