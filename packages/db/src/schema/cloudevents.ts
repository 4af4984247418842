// citus: distributed by model id (small: halves live here for at most about a minute)
import { sql } from "drizzle-orm";
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
    /**
     * The graph node that logged the half (Seldon `Ce-Modelid`; empty for KServe), so that the
     * halves of two logged nodes of one Seldon graph, which share the join id, are both kept.
     */
    node: text().notNull().default(""),
    /** `request` or `response`. */
    half: text().notNull(),
    apiKeyId: uuid().notNull(),
    /** The CloudEvent attributes (ce-* headers, lower-cased, without the prefix). */
    attributes: jsonb().$type<Record<string, string>>().notNull(),
    /**
     * The event's data as JSON text, not jsonb: text keeps every JSON document the service
     * accepted (jsonb refuses `\u0000`), so storing a half can never fail after it was checked.
     */
    body: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Set when the half could not be decoded or joined (for example a legacy half whose tensor
     * shape does not match its data): it is kept for inspection, never retried, and counted in
     * /v1/ingest/status and /metrics under this reason.
     */
    quarantineReason: text(),
    quarantinedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.joinId, table.node, table.half] }),
    index("cloudevent_halves_model_received_idx").on(table.modelId, table.receivedAt),
    index("cloudevent_halves_api_key_quarantined_idx")
      .on(table.apiKeyId, table.quarantineReason)
      .where(sql`${table.quarantinedAt} is not null`),
  ],
);

export type CloudEventHalf = typeof cloudeventHalves.$inferSelect;
