// citus: reference (models and model_versions are registry tables)
import { sql } from "drizzle-orm";
import {
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const modelTaskEnum = pgEnum("model_task", [
  "binary_classification",
  "multiclass_classification",
  "regression",
  "ranking",
  "other",
]);

/** A model's feature schema: name -> type, used to count type mismatches at ingest. */
export type FeatureSchema = Record<
  string,
  { type: "numeric" | "categorical" | "boolean" | "text" | "array" }
>;

export const models = pgTable(
  "models",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** The id inference services send (`model.id`), unique within the project. */
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    task: modelTaskEnum().notNull().default("binary_classification"),
    featureSchema: jsonb().$type<FeatureSchema>().notNull().default({}),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("models_project_slug_key").on(table.projectId, table.slug),
    index("models_slug_idx").on(table.slug),
  ],
);

export const modelVersionStatusEnum = pgEnum("model_version_status", [
  "registering",
  "ready",
  "failed",
]);

/** Minimal for now: the registry extends versions with artifacts, lineage and metrics. */
export const modelVersions = pgTable(
  "model_versions",
  {
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: text().notNull(),
    status: modelVersionStatusEnum().notNull().default("ready"),
    description: text().notNull().default(""),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.modelId, table.version] })],
);

export type Model = typeof models.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;

export const modelVersionCheck = sql`true`;
