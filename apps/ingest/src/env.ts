import {
  CLOUDEVENT_JOIN_TIMEOUT_MS,
  MAX_BASELINE_BYTES,
  MAX_REQUEST_BYTES,
} from "@plumbline/contracts";
import { readDatabaseEnv, requireDatabaseUrl } from "@plumbline/db/env";

/** The ingest service's environment. Only this file reads process.env. */
export interface IngestEnv {
  DATABASE_URL: string;
  /** TCP port to listen on (default 3001; the web app uses 3000). */
  PORT: number;
  /** Interface to bind (default 0.0.0.0, so that containers are reachable). */
  HOST: string;
  /** Largest accepted request body in bytes (default 5 MiB, the API's documented limit). */
  INGEST_BODY_LIMIT_BYTES: number;
  LOG_LEVEL: LogLevel;
  /** Largest reference dataset for the baseline endpoint (default 64 MiB). */
  INGEST_BASELINE_BODY_LIMIT_BYTES: number;
  /** Per-key token bucket: sustained requests per second (default 50). */
  INGEST_RATE_LIMIT_PER_SECOND: number;
  /** Per-key token bucket: burst size (default 200). */
  INGEST_RATE_LIMIT_BURST: number;
  /** Requests the service works on at once; more get 503 at once (default 256). */
  INGEST_MAX_IN_FLIGHT: number;
  /** Database operations run at once (default: the pool size, DATABASE_POOL_MAX). */
  INGEST_DB_CONCURRENCY: number;
  /** Database operations allowed to wait for a connection (default 64); more get 503. */
  INGEST_DB_QUEUE_MAX: number;
  /** Longest wait for a connection before answering 503 (default 2000 ms). */
  INGEST_DB_QUEUE_TIMEOUT_MS: number;
  /** How often unmatched CloudEvent halves are looked for (default 10000 ms). */
  INGEST_CLOUDEVENT_SWEEP_MS: number;
  /**
   * How long a CloudEvent half waits for its partner before it is stored alone as a partial
   * record (default 60000 ms).
   */
  INGEST_CLOUDEVENT_JOIN_WINDOW_MS: number;
  /**
   * Longest attempt to open a database connection (default 1500 ms): while PostgreSQL is down
   * or restarting, requests answer 503 with Retry-After in time instead of hanging.
   */
  INGEST_DB_CONNECT_TIMEOUT_MS: number;
  /** Bearer token /metrics requires; unset (the default) leaves /metrics open. */
  PLUMBLINE_METRICS_TOKEN: string | undefined;
  /** How long an API key read from the database is trusted before it is read again (default 30000 ms). */
  INGEST_KEY_CACHE_TTL_MS: number;
  /** How long an unknown key id is remembered as unknown (default 10000 ms). */
  INGEST_KEY_NEGATIVE_TTL_MS: number;
  /** Connections of the API key lookups' own pool (default 2), apart from the writes'. */
  INGEST_KEY_LOOKUP_CONCURRENCY: number;
  /** Failed authentications a client address earns back per second (default 5). */
  INGEST_AUTH_FAILURES_PER_SECOND: number;
  /** Failed authentications a client address may spend at once before 429 (default 50). */
  INGEST_AUTH_FAILURE_BURST: number;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function readPositiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

function readLogLevel(): LogLevel {
  const raw = process.env.LOG_LEVEL;
  if (raw === undefined || raw === "") return "info";
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${raw}"`);
  return level;
}

function readMetricsToken(): string | undefined {
  const raw = process.env.PLUMBLINE_METRICS_TOKEN;
  if (raw === undefined || raw === "") return undefined;
  if (!/^\S+$/.test(raw)) {
    throw new Error(
      "PLUMBLINE_METRICS_TOKEN must not contain spaces (it is sent as a bearer token)",
    );
  }
  return raw;
}

export function readIngestEnv(): IngestEnv {
  const poolSize = readDatabaseEnv().DATABASE_POOL_MAX;
  return {
    DATABASE_URL: requireDatabaseUrl(),
    PORT: readPositiveInt("PORT", 3001),
    HOST: process.env.HOST || "0.0.0.0",
    INGEST_BODY_LIMIT_BYTES: readPositiveInt("INGEST_BODY_LIMIT_BYTES", MAX_REQUEST_BYTES),
    LOG_LEVEL: readLogLevel(),
    INGEST_BASELINE_BODY_LIMIT_BYTES: readPositiveInt(
      "INGEST_BASELINE_BODY_LIMIT_BYTES",
      MAX_BASELINE_BYTES,
    ),
    INGEST_RATE_LIMIT_PER_SECOND: readPositiveInt("INGEST_RATE_LIMIT_PER_SECOND", 50),
    INGEST_RATE_LIMIT_BURST: readPositiveInt("INGEST_RATE_LIMIT_BURST", 200),
    INGEST_MAX_IN_FLIGHT: readPositiveInt("INGEST_MAX_IN_FLIGHT", 256),
    INGEST_DB_CONCURRENCY: readPositiveInt("INGEST_DB_CONCURRENCY", poolSize),
    INGEST_DB_QUEUE_MAX: readPositiveInt("INGEST_DB_QUEUE_MAX", 64),
    INGEST_DB_QUEUE_TIMEOUT_MS: readPositiveInt("INGEST_DB_QUEUE_TIMEOUT_MS", 2000),
    INGEST_CLOUDEVENT_SWEEP_MS: readPositiveInt("INGEST_CLOUDEVENT_SWEEP_MS", 10_000),
    INGEST_CLOUDEVENT_JOIN_WINDOW_MS: readPositiveInt(
      "INGEST_CLOUDEVENT_JOIN_WINDOW_MS",
      CLOUDEVENT_JOIN_TIMEOUT_MS,
    ),
    INGEST_DB_CONNECT_TIMEOUT_MS: readPositiveInt("INGEST_DB_CONNECT_TIMEOUT_MS", 1500),
    PLUMBLINE_METRICS_TOKEN: readMetricsToken(),
    INGEST_KEY_CACHE_TTL_MS: readPositiveInt("INGEST_KEY_CACHE_TTL_MS", 30_000),
    INGEST_KEY_NEGATIVE_TTL_MS: readPositiveInt("INGEST_KEY_NEGATIVE_TTL_MS", 10_000),
    INGEST_KEY_LOOKUP_CONCURRENCY: readPositiveInt("INGEST_KEY_LOOKUP_CONCURRENCY", 2),
    INGEST_AUTH_FAILURES_PER_SECOND: readPositiveInt("INGEST_AUTH_FAILURES_PER_SECOND", 5),
    INGEST_AUTH_FAILURE_BURST: readPositiveInt("INGEST_AUTH_FAILURE_BURST", 50),
  };
}
