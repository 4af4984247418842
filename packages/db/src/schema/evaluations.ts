// citus: reference
import { doublePrecision, index, integer, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";

import { EVALUATION_KINDS, GATE_OUTCOMES } from "@plumbline/governance";

import { actorTypeEnum } from "./audit";
import { createdAt, uuidPrimaryKey } from "./columns";
import { models, modelVersions } from "./models";

/** The same lists as `@plumbline/governance`'s `EVALUATION_KINDS` and `GATE_OUTCOMES`. */
export const evaluationKindEnum = pgEnum("evaluation_kind", EVALUATION_KINDS);

export const gateOutcomeEnum = pgEnum("gate_outcome", GATE_OUTCOMES);

/** One evaluation CI posted for a model version (oldest first by `createdAt`). */
export const evaluations = pgTable(
  "evaluations",
  {
    id: uuidPrimaryKey(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    modelVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    kind: evaluationKindEnum().notNull(),
    outcome: gateOutcomeEnum().notNull(),
    ciJobUrl: text(),
    actorType: actorTypeEnum().notNull(),
    actorId: text(),
    createdAt: createdAt(),
  },
  (table) => [index("evaluations_version_idx").on(table.modelVersionId, table.createdAt)],
);

/** One metric value of an evaluation: `slice` null for the whole set; `n` rows behind it. */
export const evaluationMetrics = pgTable(
  "evaluation_metrics",
  {
    id: uuidPrimaryKey(),
    evaluationId: uuid()
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    metric: text().notNull(),
    slice: text(),
    value: doublePrecision().notNull(),
    lower: doublePrecision(),
    upper: doublePrecision(),
    n: integer(),
    position: integer().notNull(),
  },
  (table) => [index("evaluation_metrics_evaluation_idx").on(table.evaluationId, table.position)],
);

/** Confusion counts per group of a sensitive feature: the input of every fairness metric. */
export const evaluationGroupCounts = pgTable(
  "evaluation_group_counts",
  {
    id: uuidPrimaryKey(),
    evaluationId: uuid()
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    feature: text().notNull(),
    group: text().notNull(),
    truePositives: integer().notNull(),
    falsePositives: integer().notNull(),
    trueNegatives: integer().notNull(),
    falseNegatives: integer().notNull(),
    position: integer().notNull(),
  },
  (table) => [
    index("evaluation_group_counts_evaluation_idx").on(table.evaluationId, table.position),
  ],
);

export type EvaluationRow = typeof evaluations.$inferSelect;
export type EvaluationMetricRow = typeof evaluationMetrics.$inferSelect;
export type EvaluationGroupCountsRow = typeof evaluationGroupCounts.$inferSelect;
