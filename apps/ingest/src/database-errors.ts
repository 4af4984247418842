/**
 * Tells "the database is unreachable or shedding load" (answer 503, the client retries) apart
 * from bugs (answer 500). Drizzle wraps driver errors, so the whole `cause` chain is searched.
 */

/** Node socket errors and postgres.js connection errors. */
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * SQLSTATEs after which a retry can succeed: connection exceptions (class 08), server shutdown
 * or crash recovery (57P01-57P03), too many connections (53300), and the losers of a deadlock
 * or serialization conflict (40P01, 40001).
 */
const TRANSIENT_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "40P01", "40001"]);

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current instanceof Error && chain.length < 10) {
    chain.push(current);
    if (current instanceof AggregateError) chain.push(...(current.errors as unknown[]));
    current = current.cause;
  }
  return chain;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return errorChain(error).some((link) => {
    const code = codeOf(link);
    if (code === undefined) return false;
    return (
      CONNECTION_ERROR_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith("08")
    );
  });
}

/** A short reason for logs and /readyz, without connection strings or credentials. */
export function describeDatabaseFailure(error: unknown): string {
  const code = errorChain(error)
    .map(codeOf)
    .find((found) => found !== undefined);
  return code ?? (error instanceof Error ? error.name : "unknown error");
}
