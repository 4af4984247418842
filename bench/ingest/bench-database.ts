// What the ingest benchmarks share about the database: a fresh migrated one on DATABASE_URL's
// server or on an embedded PostgreSQL (PLUMBLINE_EMBEDDED_PORT, default 54331, one data folder
// per port so that parallel runs do not share a cluster).
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { startEmbeddedPostgres } from "@plumbline/db/embedded";
import { readDatabaseEnv } from "@plumbline/db/env";
import { migrateDatabase } from "@plumbline/db/migrate";
import postgres from "postgres";

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh, migrated database named `<prefix>_<now>`, dropped (with its server, if embedded) by `stop`. */
export async function prepareBenchDatabase(prefix: string, log: (line: string) => void) {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined as void;
  if (!serverUrl) {
    const port = readDatabaseEnv().PLUMBLINE_EMBEDDED_PORT ?? 54_331;
    const dataDir = path.join(tmpdir(), "plumbline-bench", `pg-${port}`);
    mkdirSync(path.dirname(dataDir), { recursive: true });
    const server = await startEmbeddedPostgres({ dataDir, port, log: () => undefined });
    serverUrl = server.url;
    stopServer = server.stop;
    log(`database: embedded PostgreSQL in ${dataDir}`);
  } else log("database: DATABASE_URL's server");
  const name = `${prefix}_${Date.now()}`;
  const admin = postgres(withDatabase(serverUrl, "postgres"), {
    max: 1,
    onnotice: () => undefined,
  });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  await migrateDatabase(url);
  return {
    url,
    stop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
      await stopServer();
    },
  };
}
