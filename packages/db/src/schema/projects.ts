// citus: reference
import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

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
