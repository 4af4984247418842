// citus: reference
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";
import { environments } from "./environments";
import { projects } from "./projects";
import { users } from "./users";

/**
 * The gate policy of one environment: a `GatePolicy` of `@plumbline/governance`, validated with
 * its `gatePolicySchema` before it is stored, and its stable hash (a promotion request snapshots
 * both; a different hash later makes an open request stale). Earlier versions live in the audit log.
 */
export const gatePolicies = pgTable(
  "gate_policies",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    /** A parsed `GatePolicy` (jsonb keeps no key order: the hash is over canonical JSON). */
    policy: jsonb().$type<Record<string, unknown>>().notNull(),
    policyHash: text().notNull(),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("gate_policies_environment_key").on(table.environmentId)],
);

export type GatePolicyRow = typeof gatePolicies.$inferSelect;
