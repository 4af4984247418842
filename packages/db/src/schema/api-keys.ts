// citus: reference
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import type { ApiKeyScope } from "@plumbline/contracts";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

// The scopes are part of the public API: their one list lives in the contracts.
export { API_KEY_SCOPES, type ApiKeyScope } from "@plumbline/contracts";

export const apiKeyModeEnum = pgEnum("api_key_mode", ["live", "test"]);

/**
 * API keys look like `pl_<live|test>_<keyId>_<secret>`. Only `keyId` (the public prefix)
 * and a SHA-256 of the secret are stored: the secret has 256 bits of entropy, so a slow
 * password hash would add latency to every ingest request without adding safety.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    mode: apiKeyModeEnum().notNull().default("live"),
    keyId: text().notNull(),
    secretHash: text().notNull(),
    scopes: text().array().$type<ApiKeyScope[]>().notNull(),
    /** Model slugs this key may touch; null means every model of the project. */
    modelAllowList: text().array(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("api_keys_key_id_key").on(table.keyId),
    index("api_keys_project_idx").on(table.projectId),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
