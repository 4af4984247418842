import { auditKey } from "@plumbline/db/audit";
import { createDatabase } from "@plumbline/db/client";
import { ensurePredictionPartitionsAround } from "@plumbline/db/partitions";

import { buildIngestApp } from "./app";
import { readIngestEnv } from "./env";
import { IngestMetrics } from "./metrics/ingest-metrics";
import { startMaintenance } from "./services/operations/maintenance";
import { ReferenceProfileCache } from "./services/reference-profiles/reference-profile-cache";

/** In-flight requests get this long after SIGTERM (Kubernetes' default grace period is 30 s). */
const SHUTDOWN_TIMEOUT_MS = 25_000;

const env = readIngestEnv();
// Audit rows are keyed: without PLUMBLINE_AUDIT_KEY in production, stop here, naming it.
auditKey();
const { db, sql } = createDatabase(env.DATABASE_URL, {
  applicationName: "plumbline-ingest",
  // Fail fast (503 with Retry-After) when Postgres is unreachable or restarting instead of
  // holding requests for postgres.js's default 30 s.
  connectTimeoutSeconds: env.INGEST_DB_CONNECT_TIMEOUT_MS / 1000,
});
// API key lookups get connections of their own, so a backlog of writes never delays them.
const keyLookups = createDatabase(env.DATABASE_URL, {
  max: env.INGEST_KEY_LOOKUP_CONCURRENCY,
  applicationName: "plumbline-ingest-keys",
  connectTimeoutSeconds: env.INGEST_DB_CONNECT_TIMEOUT_MS / 1000,
});
const metrics = new IngestMetrics({ processMetrics: true });
const app = buildIngestApp({
  db,
  sql,
  metrics,
  bodyLimitBytes: env.INGEST_BODY_LIMIT_BYTES,
  baselineBodyLimitBytes: env.INGEST_BASELINE_BODY_LIMIT_BYTES,
  rateLimit: { perSecond: env.INGEST_RATE_LIMIT_PER_SECOND, burst: env.INGEST_RATE_LIMIT_BURST },
  maxInFlight: env.INGEST_MAX_IN_FLIGHT,
  database: {
    concurrency: env.INGEST_DB_CONCURRENCY,
    maxQueued: env.INGEST_DB_QUEUE_MAX,
    queueTimeoutMs: env.INGEST_DB_QUEUE_TIMEOUT_MS,
  },
  apiKeys: {
    database: keyLookups,
    cacheTtlMs: env.INGEST_KEY_CACHE_TTL_MS,
    negativeCacheTtlMs: env.INGEST_KEY_NEGATIVE_TTL_MS,
    lookupConcurrency: env.INGEST_KEY_LOOKUP_CONCURRENCY,
    failuresPerAddress: {
      perSecond: env.INGEST_AUTH_FAILURES_PER_SECOND,
      burst: env.INGEST_AUTH_FAILURE_BURST,
    },
  },
  logger: { level: env.LOG_LEVEL },
  metricsToken: env.PLUMBLINE_METRICS_TOKEN,
});

try {
  // Requests create the partitions they need; doing today's ahead of time keeps the first
  // requests of the day off the DDL path.
  await ensurePredictionPartitionsAround(sql, new Date());
} catch (error) {
  // Not fatal: /readyz reports the database, and requests retry partition creation.
  app.log.warn({ err: error }, "could not prepare prediction partitions at start-up");
}

await app.listen({ port: env.PORT, host: env.HOST });
const stopMaintenance = startMaintenance(
  {
    sql,
    profiles: new ReferenceProfileCache(sql),
    metrics,
    log: app.log,
    joinWindowMs: env.INGEST_CLOUDEVENT_JOIN_WINDOW_MS,
  },
  env.INGEST_CLOUDEVENT_SWEEP_MS,
);

let shuttingDown = false;
async function shutDown(signal: NodeJS.Signals) {
  if (shuttingDown) return;
  shuttingDown = true;
  app.log.info({ signal }, "shutting down: no new requests, finishing in-flight ones");
  const deadline = setTimeout(() => {
    app.log.error("in-flight requests did not finish in time; exiting");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  try {
    // close() stops listening, answers new requests on kept-alive sockets with 503, and
    // resolves once every in-flight request has been answered (that is, committed or failed).
    await app.close();
    await stopMaintenance();
    await Promise.all([sql.end({ timeout: 5 }), keyLookups.sql.end({ timeout: 5 })]);
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, "error while shutting down");
    process.exit(1);
  }
}

process.once("SIGTERM", (signal) => void shutDown(signal));
process.once("SIGINT", (signal) => void shutDown(signal));
