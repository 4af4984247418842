// citus: reference (registry-sized; the recursive walk never touches big tables)
import { index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { DATASET_ROLES } from "@plumbline/contracts";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";

/** The same node kinds as `@plumbline/governance`'s `LINEAGE_NODE_KINDS`. */
export const lineageNodeKindEnum = pgEnum("lineage_node_kind", [
  "dataset_version",
  "model_version",
  "deployment",
  "alias",
  "prediction_stream",
]);

export const datasetRoleEnum = pgEnum("dataset_role", DATASET_ROLES);

/**
 * One typed edge of the lineage graph, in the direction data flows (dataset version -> model
 * version -> alias / deployment -> prediction stream). Ids are text because a prediction stream
 * has no row of its own (`<model id>:<version>`); the other kinds hold their row's uuid.
 */
export const lineageEdges = pgTable(
  "lineage_edges",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    fromKind: lineageNodeKindEnum().notNull(),
    fromId: text().notNull(),
    toKind: lineageNodeKindEnum().notNull(),
    toId: text().notNull(),
    /** For dataset_version -> model_version: the dataset's role in training. */
    role: datasetRoleEnum(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("lineage_edges_from_to_key").on(
      table.fromKind,
      table.fromId,
      table.toKind,
      table.toId,
    ),
    index("lineage_edges_to_idx").on(table.toKind, table.toId),
  ],
);

export type LineageEdgeRow = typeof lineageEdges.$inferSelect;
