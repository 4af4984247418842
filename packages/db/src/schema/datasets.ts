// citus: reference
import {
  bigint,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const datasetSplitEnum = pgEnum("dataset_split", [
  "train",
  "validation",
  "holdout",
  "full",
  "other",
]);

/** A named dataset of a project; its content lives in immutable, digest-addressed versions. */
export const datasets = pgTable(
  "datasets",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("datasets_project_name_key").on(table.projectId, table.name)],
);

/** A column of a dataset version's schema. */
export interface DatasetColumn {
  name: string;
  type: string;
}

/**
 * One immutable snapshot of a dataset (DVC's model: a content digest, where it lives, and the
 * DVC path and md5 when it is tracked by DVC). Lineage edges join it to the model versions it fed.
 */
export const datasetVersions = pgTable(
  "dataset_versions",
  {
    id: uuidPrimaryKey(),
    datasetId: uuid()
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    version: text().notNull(),
    /** `sha256:<64 hex>` of the content. */
    digest: text().notNull(),
    uri: text().notNull().default(""),
    dvcPath: text(),
    dvcMd5: text(),
    rowCount: bigint({ mode: "number" }),
    split: datasetSplitEnum().notNull().default("full"),
    schema: jsonb().$type<DatasetColumn[]>().notNull().default([]),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("dataset_versions_dataset_version_key").on(table.datasetId, table.version),
    index("dataset_versions_digest_idx").on(table.digest),
  ],
);

export type Dataset = typeof datasets.$inferSelect;
export type DatasetVersion = typeof datasetVersions.$inferSelect;
