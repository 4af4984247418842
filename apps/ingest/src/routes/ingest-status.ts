import type { FastifyInstance } from "fastify";

import { authenticatedKey } from "../auth/api-key-guard";
import { readIngestStatus } from "../services/status/ingest-status";
import type { IngestRouteContext } from "./route-context";

export function registerIngestStatusRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, gate, requireApiKey } = context;

  /** Any valid key may read its own counters (and only its own). */
  app.get("/v1/ingest/status", { onRequest: requireApiKey("any_valid_key") }, async (request) => {
    const apiKey = authenticatedKey(request);
    return gate.run(() => readIngestStatus(sql, apiKey));
  });
}
