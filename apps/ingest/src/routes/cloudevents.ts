import { apiKeyHasScope } from "@plumbline/db/api-keys";
import type { CloudEventResponse } from "@plumbline/contracts";
import type { ApiKeyScope } from "@plumbline/db/schema";
import type { FastifyInstance } from "fastify";

import { authenticatedKey } from "../auth/api-key-guard";
import { jsonParserFor } from "../body/content-parsers";
import type { RequestBody } from "../body/request-body";
import { HttpError } from "../http-errors";
import { runIdempotently } from "../services/idempotency/idempotency-ledger";
import { cloudEventKind, ingestCloudEvent } from "../services/cloudevents/ingest-cloudevent";
import { readCloudEvent } from "../services/cloudevents/read-cloudevent";
import { feedbackAnswer, recordSeldonFeedback } from "../services/cloudevents/seldon-feedback";
import { idempotencyClaimOf, type IngestRouteContext } from "./route-context";

/** 202 when every row was stored (or waits), 207 when some were not, 400 when none were. */
function cloudEventStatusCode(result: CloudEventResponse): 202 | 207 | 400 {
  if (result.status === "rejected") return 400;
  return result.rejected && result.rejected.length > 0 ? 207 : 202;
}

export function registerCloudEventRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, db, gate, metrics, profiles, partitions, requireApiKey, now } = context;
  const parseJson = jsonParserFor(app);
  const onQuarantine = (reason: string, halves: number) =>
    metrics.halvesQuarantined.inc({ reason }, halves);

  app.post(
    "/v1/ingest/cloudevents",
    // The event type, read from the body in structured mode, decides the scope (below).
    { onRequest: requireApiKey({ anyOf: ["predictions:write", "labels:write"] }) },
    async (request, reply) => {
      const body = request.body as RequestBody | undefined;
      const event = readCloudEvent(request, body, parseJson);
      const apiKey = authenticatedKey(request);
      const kind = cloudEventKind(event.attributes.type!);
      // Feedback writes labels, like POST /v1/labels; inference halves write predictions.
      const scope: ApiKeyScope = kind?.half === "feedback" ? "labels:write" : "predictions:write";
      if (!apiKeyHasScope(apiKey, scope)) {
        throw new HttpError(
          403,
          "forbidden",
          `This API key lacks the "${scope}" scope needed for CloudEvents of type "${event.attributes.type}"`,
        );
      }

      if (kind?.half === "feedback") {
        const claim = body ? idempotencyClaimOf(request, apiKey, body) : null;
        const result = await gate.run(() =>
          runIdempotently(sql, claim, () =>
            metrics.timeWrite("labels", () =>
              recordSeldonFeedback(sql, { apiKey, event, now: now(), idempotency: claim }),
            ),
          ),
        );
        const stored = result.replayed ? result.stored : result.value;
        const answer = feedbackAnswer(event, stored);
        if (result.replayed) reply.header("idempotent-replayed", "true");
        else if (answer.statusCode === 202 && "records" in answer.body) {
          metrics.recordsAccepted.inc({ kind: "label" }, answer.body.records);
          metrics.recordsDuplicate.inc({ kind: "label" }, answer.body.duplicates);
        }
        return reply.code(answer.statusCode).send(answer.body);
      }

      const result = await gate.run(() =>
        metrics.timeWrite("cloudevent", () =>
          ingestCloudEvent(
            { sql, db, profiles, partitions, onQuarantine },
            { apiKey, event, now: now() },
          ),
        ),
      );
      metrics.recordsAccepted.inc({ kind: "cloudevent" }, result.records);
      metrics.recordsDuplicate.inc({ kind: "cloudevent" }, result.duplicates);
      for (const { code, count } of result.rejected ?? []) {
        metrics.recordsRejected.inc({ kind: "cloudevent", code }, count);
      }
      return reply.code(cloudEventStatusCode(result)).send(result);
    },
  );
}
