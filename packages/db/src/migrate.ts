import { fileURLToPath } from "node:url";

import { migrate } from "drizzle-orm/postgres-js/migrator";

import { createDatabase } from "./client";
import { sealLegacyAuditRows } from "./audit";
import { ensurePredictionPartitionsAround } from "./partitions";

// Kept out of the client entry point: bundlers treat this URL as an asset (ENVIRONMENT gotcha 3).
const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Applies every committed migration (idempotent), chains audit rows older than the keyed
 * chain, and makes sure the prediction partitions around today exist. The same call runs in development, tests, CI and production.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const { db, sql } = createDatabase(url, { max: 1, applicationName: "plumbline-migrate" });
  try {
    // Serialise concurrent migrators (several app processes starting at once).
    await sql`select pg_advisory_lock(hashtext('plumbline.migrate'))`;
    await migrate(db, { migrationsFolder });
    // Audit rows written before the chain was keyed get their place in it (once).
    await sealLegacyAuditRows(db);
    await ensurePredictionPartitionsAround(sql, new Date());
    await sql`select pg_advisory_unlock(hashtext('plumbline.migrate'))`;
  } finally {
    await sql.end();
  }
}
