import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import postgres from "postgres";

import { createDatabase } from "./client";
import { requireDatabaseUrl } from "./env";
import { migrateDatabase } from "./migrate";

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Changes whenever a migration changes, so a stale template is never reused. */
function migrationsFingerprint(): string {
  const hash = createHash("sha1");
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith(".sql"))
      hash.update(file).update(readFileSync(`${migrationsFolder}/${file}`));
  }
  return hash.digest("hex").slice(0, 10);
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database for one test file, cloned from a template that is migrated once
 * per schema (CREATE DATABASE ... TEMPLATE takes a fraction of a second). Needs DATABASE_URL to
 * reach a server where it may create databases; `pnpm test` starts an embedded one.
 */
export async function createTestDatabase() {
  const serverUrl = requireDatabaseUrl();
  const template = `plumbline_template_${migrationsFingerprint()}`;
  const name = `plumbline_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(withDatabaseName(serverUrl, "postgres"), {
    max: 1,
    onnotice: () => undefined,
  });
  try {
    await admin`select pg_advisory_lock(hashtext('plumbline.test-template'))`;
    try {
      const found = await admin`select 1 from pg_database where datname = ${template}`;
      if (found.length === 0) {
        await admin.unsafe(`create database "${template}"`);
        await migrateDatabase(withDatabaseName(serverUrl, template));
      }
    } finally {
      await admin`select pg_advisory_unlock(hashtext('plumbline.test-template'))`;
    }
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }

  const url = withDatabaseName(serverUrl, name);
  const { db, sql } = createDatabase(url, { max: 5, applicationName: "plumbline-test" });
  return {
    url,
    db,
    sql,
    /** Closes the pool and drops the database. */
    drop: async () => {
      await sql.end();
      const cleanup = postgres(withDatabaseName(serverUrl, "postgres"), {
        max: 1,
        onnotice: () => undefined,
      });
      try {
        await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;
