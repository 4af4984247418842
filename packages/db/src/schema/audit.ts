// citus: reference (low volume; each project's chain needs one order, kept by its head row)
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const actorTypeEnum = pgEnum("actor_type", ["user", "api_key", "system"]);

/** Orders rows across projects for paging; gaps are harmless (the chains use `chainSeq`). */
export const auditLogSeq = pgSequence("audit_log_seq");

/**
 * Append-only, tamper-evident audit log, one hash chain per project (rows without a project
 * form the chain of the nil project). `appendAudit` in `@plumbline/db/audit`, the one writer,
 * computes `hash` = HMAC-SHA256(server key, prev_hash, canonical row) with the chain's head row
 * locked; a trigger refuses rows that do not extend the head and advances it; another refuses
 * UPDATE, DELETE and TRUNCATE. See docs/audit-log.md.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid().primaryKey().defaultRandom(),
    seq: bigint({ mode: "number" })
      .notNull()
      .default(sql`nextval('audit_log_seq')`),
    /**
     * Position in the project's chain, from 1 with no gaps. Null only for rows written before
     * the chain was keyed, until `sealLegacyAuditRows` (run by every migration) chains them.
     */
    chainSeq: bigint({ mode: "number" }),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorType: actorTypeEnum().notNull(),
    actorId: text(),
    projectId: uuid(),
    action: text().notNull(),
    resourceType: text().notNull(),
    resourceId: text(),
    before: jsonb(),
    after: jsonb(),
    reason: text(),
    requestId: text(),
    ip: text(),
    prevHash: text().notNull().default(""),
    hash: text().notNull().default(""),
  },
  (table) => [
    uniqueIndex("audit_log_seq_key").on(table.seq),
    uniqueIndex("audit_log_chain_key").on(
      sql`coalesce(${table.projectId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      table.chainSeq,
    ),
    index("audit_log_project_idx").on(table.projectId, table.occurredAt),
    index("audit_log_action_idx").on(table.action),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;

/**
 * The last link of each project's chain (the nil uuid for rows without a project). Writers lock
 * this row `for update`, so one project's rows never fork and projects never wait on each other.
 */
export const auditChainHeads = pgTable("audit_chain_heads", {
  projectId: uuid().primaryKey(),
  chainSeq: bigint({ mode: "number" }).notNull().default(0),
  hash: text().notNull().default(""),
});

/**
 * Signed statements "this project's chain reached `chainSeq` with `hash`". A tail deleted after
 * a checkpoint is detected; verification starts from the latest one instead of the first row.
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    projectId: uuid().notNull(),
    chainSeq: bigint({ mode: "number" }).notNull(),
    hash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** HMAC-SHA256 with the audit key over project, position, hash and time. */
    signature: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.chainSeq] })],
);

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
