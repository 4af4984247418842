// citus: reference (models and model_versions are registry tables)
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import {
  MODEL_TASKS,
  RISK_TIERS,
  type ClassLabels,
  type FeatureSchemaMap,
} from "@plumbline/contracts";

import { apiKeys } from "./api-keys";
import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const modelTaskEnum = pgEnum("model_task", MODEL_TASKS);

/**
 * A model's feature schema: name -> type, used to count type mismatches at ingest. `position`
 * (0-based) is the feature's column in positional payloads (KServe `instances: [[...]]`, V2
 * tensors, Seldon `ndarray` without names); jsonb keeps no key order, so it must be explicit.
 * The stored form of the contracts' schema file.
 */
export type FeatureSchema = FeatureSchemaMap;

/**
 * What a classifier's outputs mean: `labels[i]` names class index `i` (KServe V1 / V2 class ids,
 * probability vectors, Seldon `t:i` columns, one-hot feedback truth); `positive` is the class a
 * binary model's single score is the probability of (null for other models).
 */
export type { ClassLabels };

export const riskTierEnum = pgEnum("risk_tier", RISK_TIERS);

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
    /**
     * The class labels a version registered without its own starts with (and the ones a version
     * created on first sight by ingest takes); each version keeps its own copy.
     */
    classLabels: jsonb().$type<ClassLabels>(),
    /** The team or person answerable for the model (free text: a team name, an e-mail). */
    owner: text().notNull().default(""),
    riskTier: riskTierEnum(),
    /** Feature names that fairness evaluations slice by (e.g. `gender`, `age_band`). */
    sensitiveFeatures: text().array().notNull().default([]),
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

/** A version's input and output signature (MLflow's convention: named, typed columns). */
export interface ModelSignature {
  inputs: { name: string; type: string }[];
  outputs: { name: string; type: string }[];
}

/**
 * One registered version. `(modelId, version)` is the key ingest and rollups use; `id` is the
 * stable handle governance rows (promotions, aliases, lineage, cards) point at. Once `ready`, a
 * version is immutable: a trigger refuses changes to anything but `status` and `description`
 * (see the registry migration), so an approval bound to its artifact digest stays meaningful.
 */
export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid()
      .notNull()
      .default(sql`gen_random_uuid()`),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: text().notNull(),
    status: modelVersionStatusEnum().notNull().default("ready"),
    description: text().notNull().default(""),
    artifactUri: text().notNull().default(""),
    /** `sha256:<64 hex>`; approvals are bound to it. */
    artifactDigest: text(),
    framework: text().notNull().default(""),
    signature: jsonb().$type<ModelSignature>(),
    /** Names of the output's classes; editable until the version is ready, then frozen. */
    classLabels: jsonb().$type<ClassLabels>(),
    codeRepo: text(),
    codeCommit: text(),
    codeDirty: boolean(),
    trainingConfig: jsonb().$type<Record<string, unknown>>(),
    trainingConfigHash: text(),
    /** Headline metrics reported at registration; evaluations hold the gate evidence. */
    metrics: jsonb().$type<Record<string, number>>().notNull().default({}),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Set when CI registered the version with an API key (`createdBy` is then the key's owner). */
    createdByApiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    readyAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.version] }),
    uniqueIndex("model_versions_id_key").on(table.id),
  ],
);

export type Model = typeof models.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;

export const modelVersionCheck = sql`true`;
