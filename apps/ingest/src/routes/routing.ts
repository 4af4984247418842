import { ModelSlug } from "@plumbline/contracts";
import type { FastifyInstance } from "fastify";

import { authenticatedKey, requireModelAllowed } from "../auth/api-key-guard";
import { HttpError } from "../http-errors";
import {
  matchesIfNoneMatch,
  readModelRouting,
  routingEtag,
} from "../services/routing/read-routing";
import type { IngestRouteContext } from "./route-context";

/** Who may read a model's traffic split: `read` keys, and inference services' writer keys. */
export const ROUTING_SCOPES = ["read", "predictions:write"] as const;

const ENVIRONMENT_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * `GET /v1/models/{model_id}/routing[?environment=production]`: the stable version, the canary
 * version and its weight, and the deployment driving them. Answers with an ETag; a request whose
 * `If-None-Match` names the current one gets `304` and no body, so polling every second costs
 * one indexed read and a few bytes.
 */
export function registerRoutingRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, gate, requireApiKey } = context;

  app.get<{ Params: { model_id: string }; Querystring: { environment?: string } }>(
    "/v1/models/:model_id/routing",
    { onRequest: requireApiKey({ anyOf: ROUTING_SCOPES }) },
    async (request, reply) => {
      const modelSlug = request.params.model_id;
      const environment = request.query.environment ?? "production";
      if (!ModelSlug.safeParse(modelSlug).success) {
        throw new HttpError(400, "bad_request", `model_id "${modelSlug}" is not a model slug`);
      }
      if (typeof environment !== "string" || !ENVIRONMENT_NAME.test(environment)) {
        throw new HttpError(
          400,
          "bad_request",
          "environment must be a lower-case name of at most 64 letters, digits, _ or -",
        );
      }
      const apiKey = authenticatedKey(request);
      requireModelAllowed(apiKey, modelSlug);
      const routing = await gate.run(() =>
        readModelRouting(sql, { projectId: apiKey.projectId, modelSlug, environment }),
      );
      if (!routing) {
        throw new HttpError(404, "not_found", `No model "${modelSlug}" in this project`);
      }
      const etag = routingEtag(routing);
      void reply.header("etag", etag).header("cache-control", "no-cache");
      if (matchesIfNoneMatch(request.headers["if-none-match"], etag)) {
        return reply.code(304).send();
      }
      return routing;
    },
  );
}
