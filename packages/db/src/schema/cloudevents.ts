// citus: distributed by model id (small: halves live here for at most about a minute)
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * KServe / Seldon CloudEvent halves (the inference request or its response) waiting for their
 * partner, keyed by the join id (KServe `Ce-Id`, Seldon `Ce-Requestid`). When the partner
 * arrives both become prediction records; after the join timeout a sweep stores the half alone
 * as a partial record.
 */
export const cloudeventHalves = pgTable(
  "cloudevent_halves",
  {
    modelId: uuid().notNull(),
    joinId: text().notNull(),
    /** `request` or `response`. */
    half: text().notNull(),
    apiKeyId: uuid().notNull(),
    /** The CloudEvent attributes (ce-* headers, lower-cased, without the prefix). */
    attributes: jsonb().$type<Record<string, string>>().notNull(),
    body: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.joinId, table.half] }),
    index("cloudevent_halves_model_received_idx").on(table.modelId, table.receivedAt),
  ],
);

export type CloudEventHalf = typeof cloudeventHalves.$inferSelect;
