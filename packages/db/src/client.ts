import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { readDatabaseEnv, requireDatabaseUrl } from "./env";
import * as schema from "./schema";

export type Database = ReturnType<typeof createDatabase>["db"];
export type SqlClient = postgres.Sql;

export interface CreateDatabaseOptions {
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** Give up connecting after this many seconds (postgres.js default: 30). */
  connectTimeoutSeconds?: number;
}

/** A Drizzle database over its own postgres.js pool. Close it with `sql.end()`. */
export function createDatabase(url: string, options: CreateDatabaseOptions = {}) {
  const sql = postgres(url, {
    max: options.max ?? readDatabaseEnv().DATABASE_POOL_MAX,
    onnotice: () => undefined,
    ...(options.connectTimeoutSeconds ? { connect_timeout: options.connectTimeoutSeconds } : {}),
    connection: { application_name: options.applicationName ?? "plumbline" },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql };
}

let shared: ReturnType<typeof createDatabase> | undefined;

/**
 * The process-wide database, created on first use from DATABASE_URL. Kept on globalThis in
 * development so that hot reloads do not open a new pool each time.
 */
export function getDatabase(): ReturnType<typeof createDatabase> {
  const holder = globalThis as { __plumblineDatabase?: ReturnType<typeof createDatabase> };
  shared ??= holder.__plumblineDatabase ??= createDatabase(requireDatabaseUrl());
  return shared;
}

export { schema };

/** A transaction handle; every helper that writes accepts either. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DatabaseOrTransaction = Database | Transaction;
