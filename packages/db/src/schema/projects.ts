// citus: reference
import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";

export const projects = pgTable(
  "projects",
  {
    id: uuidPrimaryKey(),
    /** URL-safe name, unique across the organisation. */
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    /**
     * Days raw predictions are kept for this project; null means the deployment's default
     * (PLUMBLINE_PREDICTION_RETENTION_DAYS). Rollups are kept regardless: docs/retention.md.
     */
    predictionRetentionDays: integer(),
    /**
     * Whether ingest registers a model (and its version) the first time a CloudEvent names one
     * this project does not have yet; off by default, so an unknown name is refused.
     */
    autoRegisterModels: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("projects_slug_key").on(table.slug),
    check(
      "projects_prediction_retention_days_range",
      sql`${table.predictionRetentionDays} is null or ${table.predictionRetentionDays} between 1 and 3650`,
    ),
  ],
);

export type Project = typeof projects.$inferSelect;
