import { MAX_BASELINE_BYTES, MAX_REQUEST_BYTES } from "@plumbline/contracts";
import type { Database, SqlClient } from "@plumbline/db/client";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";

import {
  ApiKeyAuthenticator,
  type ApiKeyAuthenticationOptions,
} from "./auth/api-key-authenticator";
import { createApiKeyGuard } from "./auth/api-key-guard";
import { DatabaseGate } from "./backpressure/database-gate";
import { TokenBucketLimiter } from "./backpressure/token-bucket-limiter";
import { registerContentParsers } from "./body/content-parsers";
import { createDecompressionHook } from "./body/decompress-request";
import { createErrorHandler, HttpError } from "./http-errors";
import { IngestMetrics } from "./metrics/ingest-metrics";
import { registerBaselineRoutes } from "./routes/baselines";
import { registerCloudEventRoutes } from "./routes/cloudevents";
import { registerHealthRoutes } from "./routes/health";
import { registerIngestStatusRoutes } from "./routes/ingest-status";
import { registerLabelRoutes } from "./routes/labels";
import { registerMetricsRoutes } from "./routes/metrics";
import { registerPredictionLookupRoutes } from "./routes/prediction-lookup";
import { registerPredictionRoutes } from "./routes/predictions";
import { registerRoutingRoutes } from "./routes/routing";
import type { IngestRouteContext } from "./routes/route-context";
import { ModelCache } from "./services/caches/model-cache";
import { PartitionCache } from "./services/caches/partition-cache";
import {
  DEFAULT_GROUP_COMMIT_OPTIONS,
  PredictionGroupCommit,
  type GroupCommitOptions,
} from "./services/predictions/prediction-group-commit";
import { ReferenceProfileCache } from "./services/reference-profiles/reference-profile-cache";

export interface IngestAppOptions {
  /** Drizzle database; the app never closes it (its owner does, after `app.close()`). */
  db: Database;
  /** The postgres.js pool under `db`: the write path uses it directly (COPY, unnest upserts). */
  sql: SqlClient;
  /** Largest accepted body in bytes (after decompression); default 5 MiB as documented. */
  bodyLimitBytes?: number;
  /** Largest reference dataset for the baseline endpoint; default 64 MiB. */
  baselineBodyLimitBytes?: number;
  /** Per-key token bucket; default 50 requests/s, burst 200. */
  rateLimit?: { perSecond: number; burst: number };
  /** Requests worked on at once before answering 503 (default 256). */
  maxInFlight?: number;
  /** Bounded queue in front of the database (default: 10 at once, 64 waiting, 2 s). */
  database?: { concurrency: number; maxQueued: number; queueTimeoutMs: number };
  /** The one writer per model and its group commit (see its defaults). */
  groupCommit?: Partial<Pick<GroupCommitOptions, "maxGroupRecords">>;
  /** API key authentication: its own lookup pool, cache lifetimes, failed-attempt limits. */
  apiKeys?: ApiKeyAuthenticationOptions;
  /** Fastify logger options; `false` (the default) keeps tests quiet. */
  logger?: FastifyServerOptions["logger"];
  /** When set, /metrics requires `Authorization: Bearer <token>`; open without it. */
  metricsToken?: string;
  /** Collect process metrics (RSS, event loop) in /metrics; the real service does. */
  processMetrics?: boolean;
  /** The metrics registry, when the caller shares it (main.ts, with the maintenance tasks). */
  metrics?: IngestMetrics;
  /** The clock used for timestamp windows; injectable for tests. */
  now?: () => Date;
}

/** Headers that carry API keys: never written to logs. */
const REDACTED_PATHS = [
  "req.headers.authorization",
  'req.headers["x-api-key"]',
  "req.headers.cookie",
];

/** What a request log line says: no body, and headers only with keys redacted. */
const requestSerializer = (request: {
  method: string;
  url: string;
  headers: Record<string, unknown>;
}) => ({
  method: request.method,
  url: request.url,
  headers: request.headers,
});

function withRedaction(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (logger === undefined || logger === false) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { req: requestSerializer },
  };
}

/**
 * `app.close()` waits for every connection to end, but a request that was in flight when it was
 * called leaves its keep-alive socket open afterwards. Answering it with `Connection: close`
 * lets the socket go, so shutdown finishes as soon as the in-flight work does.
 */
function closeKeptAliveConnectionsOnShutdown(app: FastifyInstance) {
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
}

/** Caps requests being worked on (bodies held in memory) and times each one for /metrics. */
function limitAndMeasureRequests(
  app: FastifyInstance,
  metrics: IngestMetrics,
  maxInFlight: number,
) {
  let inFlight = 0;
  const started = new WeakMap<object, bigint>();
  const counted = new WeakSet<object>();
  app.addHook("onRequest", (request, _reply, next) => {
    started.set(request, process.hrtime.bigint());
    if (request.url === "/metrics" || request.url === "/healthz") {
      next();
      return;
    }
    if (inFlight >= maxInFlight) {
      next(
        new HttpError(
          503,
          "overloaded",
          `The service is at its limit of ${maxInFlight} requests in flight; retry later`,
          undefined,
          { "retry-after": "1" },
        ),
      );
      return;
    }
    inFlight += 1;
    counted.add(request);
    metrics.inFlight.set(inFlight);
    next();
  });
  const done = (request: object) => {
    if (!counted.has(request)) return;
    counted.delete(request);
    inFlight -= 1;
    metrics.inFlight.set(inFlight);
  };
  app.addHook("onResponse", async (request, reply) => {
    done(request);
    const start = started.get(request);
    const route = request.routeOptions.url ?? "unknown";
    if (start !== undefined) {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.requestDuration.observe(
        { route, method: request.method, status: String(reply.statusCode) },
        seconds,
      );
    }
    if (reply.statusCode >= 400) {
      metrics.requestsRejected.inc({ status: String(reply.statusCode), route });
    }
  });
  app.addHook("onRequestAbort", (request, next) => {
    done(request);
    next();
  });
}

/**
 * The ingest HTTP service. Stateless: every request authenticates, writes and commits on its
 * own, so any number of instances can run behind a load balancer.
 */
export function buildIngestApp(options: IngestAppOptions): FastifyInstance {
  const bodyLimitBytes = options.bodyLimitBytes ?? MAX_REQUEST_BYTES;
  const baselineBodyLimitBytes = options.baselineBodyLimitBytes ?? MAX_BASELINE_BYTES;
  const app = Fastify({
    logger: withRedaction(options.logger),
    bodyLimit: bodyLimitBytes,
    // Tolerate the missing/extra slashes that hand-written clients send.
    routerOptions: { ignoreTrailingSlash: true },
  });
  const metrics =
    options.metrics ?? new IngestMetrics({ processMetrics: options.processMetrics ?? false });
  const database = options.database ?? { concurrency: 10, maxQueued: 64, queueTimeoutMs: 2_000 };
  const gate = new DatabaseGate(database);
  const limiter = new TokenBucketLimiter({
    ratePerSecond: options.rateLimit?.perSecond ?? 50,
    burst: options.rateLimit?.burst ?? 200,
  });
  const authenticator = new ApiKeyAuthenticator({
    ...options.apiKeys,
    database: options.apiKeys?.database ?? { db: options.db, sql: options.sql },
    queueTimeoutMs: database.queueTimeoutMs,
    metrics,
  });
  app.addHook("onReady", (done) => {
    authenticator.start(app.log);
    done();
  });
  app.addHook("onClose", async () => authenticator.close());
  const context: IngestRouteContext = {
    db: options.db,
    sql: options.sql,
    gate,
    metrics,
    profiles: new ReferenceProfileCache(options.sql),
    models: new ModelCache(options.sql),
    partitions: new PartitionCache(options.sql),
    writes: new PredictionGroupCommit(options.sql, gate, {
      ...DEFAULT_GROUP_COMMIT_OPTIONS,
      ...options.groupCommit,
      queueTimeoutMs: database.queueTimeoutMs,
    }),
    requireApiKey: createApiKeyGuard({ authenticator, limiter }),
    now: options.now ?? (() => new Date()),
  };

  app.decorateRequest("apiKey", null);
  registerContentParsers(app);
  app.addHook(
    "preParsing",
    createDecompressionHook((request) => request.routeOptions.bodyLimit ?? bodyLimitBytes),
  );
  limitAndMeasureRequests(app, metrics, options.maxInFlight ?? 256);
  closeKeptAliveConnectionsOnShutdown(app);
  app.setErrorHandler(createErrorHandler(bodyLimitBytes));
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: "not_found", message: `No route for ${request.method} ${request.url}` }),
  );

  registerHealthRoutes(app, options.sql);
  registerMetricsRoutes(app, metrics, gate, options.metricsToken);
  registerPredictionRoutes(app, context);
  registerLabelRoutes(app, context);
  registerCloudEventRoutes(app, context);
  registerPredictionLookupRoutes(app, context);
  registerIngestStatusRoutes(app, context);
  registerBaselineRoutes(app, context, baselineBodyLimitBytes);
  registerRoutingRoutes(app, context);
  return app;
}
