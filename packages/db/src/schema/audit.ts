// citus: reference (low volume; the hash chain needs one total order)
import {
  bigint,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const actorTypeEnum = pgEnum("actor_type", ["user", "api_key", "system"]);

/**
 * Append-only, tamper-evident audit log. A BEFORE INSERT trigger assigns `seq`, `prevHash` and
 * `hash` (SHA-256 over the previous hash and this row's content) under a transaction-scoped
 * advisory lock, so the chain is correct whoever writes; another trigger refuses UPDATE,
 * DELETE and TRUNCATE. `verifyAuditChain` in `@plumbline/db/audit` walks the chain.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid().primaryKey().defaultRandom(),
    seq: bigint({ mode: "number" }).notNull().default(0),
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
    index("audit_log_project_idx").on(table.projectId, table.occurredAt),
    index("audit_log_action_idx").on(table.action),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
