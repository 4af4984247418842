import { MAX_REQUEST_BYTES } from "@plumbline/contracts";
import { requireDatabaseUrl } from "@plumbline/db/env";

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

export function readIngestEnv(): IngestEnv {
  return {
    DATABASE_URL: requireDatabaseUrl(),
    PORT: readPositiveInt("PORT", 3001),
    HOST: process.env.HOST || "0.0.0.0",
    INGEST_BODY_LIMIT_BYTES: readPositiveInt("INGEST_BODY_LIMIT_BYTES", MAX_REQUEST_BYTES),
    LOG_LEVEL: readLogLevel(),
  };
}
