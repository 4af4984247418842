// citus: distributed by model id (small, but read with every ingest batch of the model)
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const REFERENCE_SOURCES = ["api", "upload", "window"] as const;
export type ReferenceSource = (typeof REFERENCE_SOURCES)[number];

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
    /**
     * How the reference was built: `api` (a dataset posted to ingest by the CLI, the SDKs or
     * curl), `upload` (a file uploaded in the web app) or `window` (a production time window).
     */
    source: text().$type<ReferenceSource>().notNull().default("api"),
    /** For `window`: the production window the rows were read from. */
    windowFrom: timestamp({ withTimezone: true }),
    windowTo: timestamp({ withTimezone: true }),
    createdByKeyId: uuid(),
    createdByUserId: uuid(),
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

export type ReferenceBaselineRow = typeof referenceBaselines.$inferSelect;
export type ReferenceProfileRow = typeof referenceProfiles.$inferSelect;
