/** The database package's environment. Only this file reads process.env. */
export interface DatabaseEnv {
  /** Connection string; unset means "start the embedded PostgreSQL" (scripts only). */
  DATABASE_URL: string | undefined;
  /** Connections per process pool. */
  DATABASE_POOL_MAX: number;
  /** Port of the embedded PostgreSQL (default 54329 for the demo, 54330 for tests). */
  PLUMBLINE_EMBEDDED_PORT: number | undefined;
}

/**
 * Outside production, audit rows are keyed with this published value so the demo and tests run
 * without setup. It protects nothing: anyone can recompute a chain keyed with it.
 */
export const DEVELOPMENT_AUDIT_KEY =
  "plumbline-development-audit-key-NOT-SECRET-do-not-use-in-production";

/**
 * The secret that keys the audit log's HMAC chain (`PLUMBLINE_AUDIT_KEY`, at least 32
 * characters). Required when NODE_ENV is `production`; the development key otherwise.
 */
export function readAuditKey(): string {
  const key = process.env.PLUMBLINE_AUDIT_KEY?.trim();
  if (key) {
    if (key.length < 32) {
      throw new Error(
        "PLUMBLINE_AUDIT_KEY must be at least 32 characters; generate one with `openssl rand -base64 32`.",
      );
    }
    return key;
  }
  if (process.env.NODE_ENV === "production") {
    throw new Error(
      "PLUMBLINE_AUDIT_KEY is not set. Plumbline keys the audit log's hash chain with it; " +
        "generate one with `openssl rand -base64 32` and keep it outside the database.",
    );
  }
  return DEVELOPMENT_AUDIT_KEY;
}

function readPositiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

export function readDatabaseEnv(): DatabaseEnv {
  const url = process.env.DATABASE_URL;
  return {
    DATABASE_URL: url === undefined || url === "" ? undefined : url,
    DATABASE_POOL_MAX: readPositiveInt("DATABASE_POOL_MAX", 10),
    PLUMBLINE_EMBEDDED_PORT: process.env.PLUMBLINE_EMBEDDED_PORT
      ? readPositiveInt("PLUMBLINE_EMBEDDED_PORT", 54329)
      : undefined,
  };
}

/** The connection string, or a start-up error that names the missing variable. */
export function requireDatabaseUrl(): string {
  const { DATABASE_URL } = readDatabaseEnv();
  if (!DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start Plumbline with `pnpm demo` (which starts an embedded " +
        "PostgreSQL) or set DATABASE_URL=postgres://user:password@host:5432/database.",
    );
  }
  return DATABASE_URL;
}
