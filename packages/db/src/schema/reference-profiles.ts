// citus: distributed by model id (small, but read with every ingest batch of the model)
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The current baseline of a model version: its revision increases by one every time a new
 * reference dataset replaces it, and bin rollups carry the revision they were counted against.
 */
export const referenceBaselines = pgTable(
  "reference_baselines",
  {
    modelId: uuid().notNull(),
    version: text().notNull(),
    revision: integer().notNull(),
    rows: integer().notNull(),
    createdByKeyId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.modelId, table.version] })],
);

/**
 * One stored reference profile (`@plumbline/drift` `ReferenceProfile`, JSON) per feature, for
 * the prediction and for the score of a model version's current baseline.
 */
export const referenceProfiles = pgTable(
  "reference_profiles",
  {
    modelId: uuid().notNull(),
    version: text().notNull(),
    /** `feature`, `prediction` or `score`. */
    target: text().notNull(),
    name: text().notNull(),
    revision: integer().notNull(),
    kind: text().notNull(),
    profile: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.modelId, table.version, table.target, table.name] })],
);

export type ReferenceProfileRow = typeof referenceProfiles.$inferSelect;
