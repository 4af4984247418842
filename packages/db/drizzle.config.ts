import { defineConfig } from "drizzle-kit";

// Only `generate` uses this file: it diffs the schema against the committed snapshots.
// Migrations are applied by code (src/migrate.ts), the same way everywhere.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
});
