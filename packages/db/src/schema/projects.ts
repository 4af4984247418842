// citus: reference
import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";

export const projects = pgTable(
  "projects",
  {
    id: uuidPrimaryKey(),
    /** URL-safe name, unique across the organisation. */
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("projects_slug_key").on(table.slug)],
);

export type Project = typeof projects.$inferSelect;
