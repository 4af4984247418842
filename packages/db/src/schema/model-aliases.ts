// citus: reference
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { actorTypeEnum } from "./audit";
import { createdAt, uuidPrimaryKey } from "./columns";
import { models, modelVersions } from "./models";

/**
 * A movable, unique pointer from a name to one version of a model (MLflow's aliases). `staging`
 * and `production` are protected: only an approved promotion or an admin's break-glass moves them.
 */
export const modelAliases = pgTable(
  "model_aliases",
  {
    id: uuidPrimaryKey(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    name: text().notNull(),
    modelVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    protected: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("model_aliases_model_name_key").on(table.modelId, table.name)],
);

export const aliasMoveViaEnum = pgEnum("alias_move_via", ["promotion", "break_glass", "direct"]);

/** Every move of an alias, oldest first by `movedAt`: where it pointed before and after. */
export const modelAliasHistory = pgTable(
  "model_alias_history",
  {
    id: uuidPrimaryKey(),
    aliasId: uuid()
      .notNull()
      .references(() => modelAliases.id, { onDelete: "cascade" }),
    modelId: uuid().notNull(),
    name: text().notNull(),
    fromVersionId: uuid(),
    toVersionId: uuid().notNull(),
    via: aliasMoveViaEnum().notNull(),
    /** The promotion that moved it, when `via` is `promotion` or `break_glass` through one. */
    promotionRequestId: uuid(),
    actorType: actorTypeEnum().notNull(),
    actorId: text(),
    reason: text(),
    movedAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (table) => [index("model_alias_history_alias_idx").on(table.aliasId, table.movedAt)],
);

export type ModelAlias = typeof modelAliases.$inferSelect;
export type ModelAliasHistoryRow = typeof modelAliasHistory.$inferSelect;
