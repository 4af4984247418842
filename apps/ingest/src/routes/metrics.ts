import { createHash, timingSafeEqual } from "node:crypto";

import type { FastifyInstance, FastifyRequest } from "fastify";

import type { DatabaseGate } from "../backpressure/database-gate";
import type { IngestMetrics } from "../metrics/ingest-metrics";

/**
 * Prometheus metrics: counts and latencies, never keys or payloads. With a token
 * (`PLUMBLINE_METRICS_TOKEN`) a scrape must send `Authorization: Bearer <token>` and anything
 * else gets 401; without one the route is open like /healthz (scrapers rarely carry API keys),
 * so keep the port off the public internet or set the token.
 */
export function registerMetricsRoutes(
  app: FastifyInstance,
  metrics: IngestMetrics,
  gate: DatabaseGate,
  token?: string,
) {
  const expected = token ? digest(token) : undefined;
  app.get("/metrics", async (request, reply) => {
    if (expected && !presentsToken(request, expected)) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="metrics"').send({
        error: "unauthorized",
        message: "authorization: send the metrics token as `Authorization: Bearer <token>`",
      });
    }
    metrics.databaseQueue.set(gate.queued);
    return reply
      .header("content-type", metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });
}

/** Both sides are hashed first, so the comparison is constant-time whatever their lengths. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

function presentsToken(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), expected);
}
