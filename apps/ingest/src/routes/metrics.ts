import type { FastifyInstance } from "fastify";

import type { DatabaseGate } from "../backpressure/database-gate";
import type { IngestMetrics } from "../metrics/ingest-metrics";

/**
 * Prometheus metrics, unauthenticated like /healthz (scrapers rarely carry API keys); they hold
 * counts and latencies, never keys or payloads. Keep the port off the public internet.
 */
export function registerMetricsRoutes(
  app: FastifyInstance,
  metrics: IngestMetrics,
  gate: DatabaseGate,
) {
  app.get("/metrics", async (_request, reply) => {
    metrics.databaseQueue.set(gate.queued);
    return reply
      .header("content-type", metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });
}
