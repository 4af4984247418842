// citus: reference
import { boolean, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { ENVIRONMENT_KINDS } from "@plumbline/governance";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";

export const environmentKindEnum = pgEnum("environment_kind", ENVIRONMENT_KINDS);

/**
 * Where a model version can be promoted to, per project. `name` is also the alias a completed
 * promotion moves (`staging`, `production`); a `protected` environment's alias moves only
 * through an approved promotion or an admin's break-glass. Staging and production environments
 * are created protected; only an admin turns that off (`setEnvironmentProtection`, audited). The
 * column default covers development only: every writer passes `protectedByDefault(kind)`.
 */
export const environments = pgTable(
  "environments",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    kind: environmentKindEnum().notNull(),
    protected: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("environments_project_name_key").on(table.projectId, table.name)],
);

export type Environment = typeof environments.$inferSelect;
