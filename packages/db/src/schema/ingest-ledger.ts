// citus: distributed by api key id (ingest_requests, api_key_ingest_counters); never joined to
// the big tables, written in the same transaction as the records they describe
import {
  bigint,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The request ledger behind `Idempotency-Key`: the body's hash and the response, kept 24 hours
 * and written in the transaction that stores the request's records, so a replay finds exactly
 * what was committed. Keys are scoped to the API key that sent them.
 */
export const ingestRequests = pgTable(
  "ingest_requests",
  {
    apiKeyId: uuid().notNull(),
    idempotencyKey: text().notNull(),
    /** SHA-256 of method, path and the decompressed body. */
    bodyHash: text().notNull(),
    statusCode: integer().notNull(),
    response: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.apiKeyId, table.idempotencyKey] })],
);

/** What each key has sent: `GET /v1/ingest/status`. Only ever added to. */
export const apiKeyIngestCounters = pgTable("api_key_ingest_counters", {
  apiKeyId: uuid().primaryKey(),
  projectId: uuid().notNull(),
  accepted: bigint({ mode: "number" }).notNull().default(0),
  rejected: bigint({ mode: "number" }).notNull().default(0),
  duplicates: bigint({ mode: "number" }).notNull().default(0),
  /** Rejections by code, added key by key by `plumbline_add_jsonb_counts`. */
  rejectedByCode: jsonb().$type<Record<string, number>>().notNull().default({}),
  lastSeenAt: timestamp({ withTimezone: true }),
});

export type IngestRequest = typeof ingestRequests.$inferSelect;
