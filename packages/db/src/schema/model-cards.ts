// citus: reference
import {
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";
import { models, modelVersions } from "./models";
import { users } from "./users";

export const modelCardStatusEnum = pgEnum("model_card_status", [
  "draft",
  "pending_review",
  "approved",
  "archived",
]);

/**
 * The model card of one version, in the Model Card Toolkit layout (`ModelCard` of
 * `@plumbline/governance`). `contentHash` is the canonical hash of `content`; a change under an
 * open promotion request makes it stale. `revision` counts content edits.
 */
export const modelCards = pgTable(
  "model_cards",
  {
    id: uuidPrimaryKey(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    modelVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    status: modelCardStatusEnum().notNull().default("draft"),
    content: jsonb().$type<Record<string, unknown>>().notNull(),
    contentHash: text().notNull(),
    revision: integer().notNull().default(1),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    submittedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    submittedAt: timestamp({ withTimezone: true }),
    approvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    approvedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("model_cards_version_key").on(table.modelVersionId)],
);

export type ModelCardRow = typeof modelCards.$inferSelect;
