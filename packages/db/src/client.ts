import net from "node:net";

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
  /**
   * Give up opening a connection (TCP connect through the server's start-up answer) after this
   * many seconds; fractions are fine (postgres.js default: 30).
   */
  connectTimeoutSeconds?: number;
  /**
   * Memory each sort or hash step of a query may use before spilling to disk (PostgreSQL's
   * `work_mem`). Default: DEFAULT_WORK_MEM.
   */
  workMem?: string;
}

/**
 * PostgreSQL's default `work_mem` (4 MB) is sized for many small OLTP queries. The dashboard
 * folds tens of thousands of rollup rows per query (30 days of hour rows per feature and version)
 * into a few hundred buckets with `date_bin`, which the planner cannot foresee: at 4 MB it sorts
 * them on disk instead of hashing them (measured at 30 days: 290 ms against 95 ms). A pool of 10
 * connections stays well under a gigabyte even if every step of every query used all of it.
 */
export const DEFAULT_WORK_MEM = "32MB";

/** What postgres.js passes to a `socket` factory (its parsed options; only these are read). */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/**
 * Connection sockets with TCP_NODELAY, as libpq sets it. postgres.js opens plain `net.Socket`s,
 * which keep Nagle's algorithm on: a COPY sends its data and then CopyDone in two writes, and
 * the second waits for the server's delayed ACK (about 40 ms on Linux) before leaving. Measured
 * here: a 200-row COPY transaction took 108 ms with the default socket and 7 ms with this one.
 * The socket is returned still connecting (writes queue until it is up); postgres.js handles
 * its errors, timeouts and reconnects as for its own sockets. Several hosts are tried in turn.
 */
function noDelaySocketFactory() {
  let next = 0;
  return (target: SocketTarget): net.Socket => {
    if (target.path) return net.connect({ path: target.path });
    const index = next % target.host.length;
    next += 1;
    const host = target.host[index]!;
    const port = target.port[index] ?? target.port[0]!;
    // postgres.js reads `host` for TLS's server name, as on the sockets it makes itself.
    return Object.assign(net.connect({ host, port, noDelay: true }), { host, port });
  };
}

/** A Drizzle database over its own postgres.js pool. Close it with `sql.end()`. */
export function createDatabase(url: string, options: CreateDatabaseOptions = {}) {
  const sql = postgres(url, {
    max: options.max ?? readDatabaseEnv().DATABASE_POOL_MAX,
    onnotice: () => undefined,
    ...(options.connectTimeoutSeconds ? { connect_timeout: options.connectTimeoutSeconds } : {}),
    connection: {
      application_name: options.applicationName ?? "plumbline",
      work_mem: options.workMem ?? DEFAULT_WORK_MEM,
      // Those same inflated cost estimates switch JIT compilation on, which costs about 250 ms
      // per dashboard query and saves nothing on queries this size.
      jit: "off",
    },
    // Accepted by postgres.js but missing from its option types.
    ...({ socket: noDelaySocketFactory() } as postgres.Options<Record<string, never>>),
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
