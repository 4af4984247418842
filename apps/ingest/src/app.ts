import { MAX_REQUEST_BYTES } from "@plumbline/contracts";
import type { Database, SqlClient } from "@plumbline/db/client";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";

import { createErrorHandler, HttpError } from "./http-errors";
import { registerHealthRoutes } from "./routes/health";
import { registerPredictionRoutes } from "./routes/predictions";

export interface IngestAppOptions {
  /** Drizzle database; the app never closes it (its owner does, after `app.close()`). */
  db: Database;
  /** The postgres.js pool under `db`, for readiness probes and partition maintenance. */
  sql: SqlClient;
  /** Largest accepted body in bytes; default 5 MiB as documented in the ingest API. */
  bodyLimitBytes?: number;
  /** Fastify logger options; `false` (the default) keeps tests quiet. */
  logger?: FastifyServerOptions["logger"];
  /** The clock used for timestamp windows; injectable for tests. */
  now?: () => Date;
}

/** Headers that carry API keys: never written to logs. */
const REDACTED_HEADERS = ["req.headers.authorization", 'req.headers["x-api-key"]'];

function withRedaction(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (logger === undefined || logger === false) return false;
  if (logger === true) return { redact: REDACTED_HEADERS };
  return { ...logger, redact: REDACTED_HEADERS };
}

/** Parses JSON safely (no __proto__ keys) and, when it fails, says where and why. */
function registerJsonParser(app: FastifyInstance) {
  const secureJsonParser = app.getDefaultJsonParser("error", "error");
  // Only JSON is accepted: without this, text/plain bodies would reach handlers as strings.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, raw, done) => {
    const body = typeof raw === "string" ? raw : raw.toString("utf8");
    if (body.length === 0) {
      done(new HttpError(400, "invalid_json", "Request body is empty; expected a JSON object"));
      return;
    }
    void secureJsonParser(request, body, (error, value) => {
      if (!error) {
        done(null, value);
        return;
      }
      let reason = "it contains a forbidden __proto__ or constructor.prototype key";
      try {
        JSON.parse(body);
      } catch (syntaxError) {
        reason = syntaxError instanceof Error ? syntaxError.message : String(syntaxError);
      }
      done(new HttpError(400, "invalid_json", `Request body is not valid JSON: ${reason}`));
    });
  });
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

/**
 * The ingest HTTP service. Stateless: every request authenticates, writes and commits on its
 * own, so any number of instances can run behind a load balancer.
 */
export function buildIngestApp(options: IngestAppOptions): FastifyInstance {
  const bodyLimitBytes = options.bodyLimitBytes ?? MAX_REQUEST_BYTES;
  const app = Fastify({
    logger: withRedaction(options.logger),
    bodyLimit: bodyLimitBytes,
    // Tolerate the missing/extra slashes that hand-written clients send.
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest("apiKey", null);
  registerJsonParser(app);
  closeKeptAliveConnectionsOnShutdown(app);
  app.setErrorHandler(createErrorHandler(bodyLimitBytes));
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: "not_found", message: `No route for ${request.method} ${request.url}` }),
  );

  registerHealthRoutes(app, options.sql);
  registerPredictionRoutes(app, {
    db: options.db,
    sql: options.sql,
    now: options.now ?? (() => new Date()),
  });
  return app;
}
