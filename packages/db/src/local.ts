import path from "node:path";

import { readDatabaseEnv } from "./env";
import { startEmbeddedPostgres } from "./embedded";

const EMBEDDED_PORTS = { dev: 54329, test: 54330 } as const;

export interface LocalDatabase {
  url: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

/**
 * The one way scripts reach a database: DATABASE_URL when it is set, otherwise an embedded
 * PostgreSQL under `<repo>/.plumbline/pg-<purpose>` (the demo and the tests keep separate
 * clusters, on ports 54329 and 54330, so running the tests never touches the demo's data).
 */
export async function connectOrStartDatabase(
  purpose: keyof typeof EMBEDDED_PORTS,
  repoRoot: string,
  log: (line: string) => void = (line) => console.log(line),
): Promise<LocalDatabase> {
  const { DATABASE_URL, PLUMBLINE_EMBEDDED_PORT } = readDatabaseEnv();
  if (DATABASE_URL) return { url: DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
  const server = await startEmbeddedPostgres({
    dataDir: path.join(repoRoot, ".plumbline", `pg-${purpose}`),
    port: PLUMBLINE_EMBEDDED_PORT ?? EMBEDDED_PORTS[purpose],
    log,
  });
  return { url: server.url, embedded: true, stop: server.stop };
}
