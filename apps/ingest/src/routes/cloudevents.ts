import type { FastifyInstance } from "fastify";

import { authenticatedKey } from "../auth/api-key-guard";
import { jsonParserFor } from "../body/content-parsers";
import type { RequestBody } from "../body/request-body";
import { ingestCloudEvent } from "../services/cloudevents/ingest-cloudevent";
import { readCloudEvent } from "../services/cloudevents/read-cloudevent";
import type { IngestRouteContext } from "./route-context";

export function registerCloudEventRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, gate, metrics, profiles, requireApiKey, now } = context;
  const parseJson = jsonParserFor(app);

  app.post(
    "/v1/ingest/cloudevents",
    { onRequest: requireApiKey({ anyOf: ["predictions:write"] }) },
    async (request, reply) => {
      const event = readCloudEvent(request, request.body as RequestBody | undefined, parseJson);
      const apiKey = authenticatedKey(request);
      const result = await gate.run(() =>
        metrics.timeWrite("cloudevent", () =>
          ingestCloudEvent({ sql, profiles }, { apiKey, event, now: now() }),
        ),
      );
      metrics.recordsAccepted.inc({ kind: "cloudevent" }, result.records);
      metrics.recordsDuplicate.inc({ kind: "cloudevent" }, result.duplicates);
      return reply.code(202).send(result);
    },
  );
}
