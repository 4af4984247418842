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
  /** Give up connecting after this many seconds (postgres.js default: 30). */
  connectTimeoutSeconds?: number;
}

/**
 * Opens the pool's sockets with TCP_NODELAY. postgres.js sends COPY's data and its CopyDone in
 * two writes; with Nagle's algorithm on, the second waits for the server's delayed ACK, which
 * costs 40 ms on every COPY however small. (Other queries go out as one write.)
 *
 * postgres.js treats a custom socket as connected, so this resolves once the connection is up.
 * A failed or timed-out connection resolves too, with a socket that then fails the way
 * postgres.js's own would (error, then close), so its reconnection logic runs unchanged.
 * First host only.
 */
function connectWithoutDelay(options: {
  host: string[];
  port: number[];
  path?: string | false;
  connect_timeout?: number;
}): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = options.path
      ? net.connect(options.path)
      : net.connect({ host: options.host[0], port: options.port[0] ?? 5432 });
    socket.setNoDelay(true);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      const failed = new net.Socket();
      resolve(failed);
      setImmediate(() => failed.destroy(error));
    };
    const timer = setTimeout(
      () => fail(Object.assign(new Error("connect timeout"), { code: "CONNECT_TIMEOUT" })),
      (options.connect_timeout ?? 30) * 1000,
    );
    socket.once("error", fail);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", fail);
      resolve(socket);
    });
  });
}

/** A Drizzle database over its own postgres.js pool. Close it with `sql.end()`. */
export function createDatabase(url: string, options: CreateDatabaseOptions = {}) {
  // `socket` is a documented postgres.js option its type declarations leave out.
  const clientOptions = {
    max: options.max ?? readDatabaseEnv().DATABASE_POOL_MAX,
    onnotice: () => undefined,
    ...(options.connectTimeoutSeconds ? { connect_timeout: options.connectTimeoutSeconds } : {}),
    connection: { application_name: options.applicationName ?? "plumbline" },
    socket: connectWithoutDelay,
  };
  const sql = postgres(url, clientOptions);
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
