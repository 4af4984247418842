/**
 * postgres.js 3.4.9 can throw from a timer when PostgreSQL shuts down under it: a buffered
 * write scheduled with setImmediate runs after the connection nulled its socket
 * (`connection.js` nextWrite: "Cannot read properties of null (reading 'write')"). Nothing is
 * lost (that connection's queries have already failed and the pool reconnects), but uncaught,
 * it would kill a long-running process (ingest, the worker) on every database restart. Only
 * that exact error is absorbed; any other uncaught exception still ends the process.
 */
export function isPostgresJsClosedSocketWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message === "Cannot read properties of null (reading 'write')" &&
    (error.stack ?? "").includes("postgres/src/connection.js")
  );
}

export function absorbPostgresJsClosedSocketWrites(log: (error: Error) => void) {
  process.on("uncaughtException", (error) => {
    if (isPostgresJsClosedSocketWrite(error)) {
      log(error);
      return;
    }
    // Same as Node's default: report and exit.
    console.error(error);
    process.exit(1);
  });
}
