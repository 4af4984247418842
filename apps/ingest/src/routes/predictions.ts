import type { ErrorResponse } from "@plumbline/contracts";
import type { FastifyInstance } from "fastify";

import { authenticatedKey } from "../auth/api-key-guard";
import { requireBody } from "../body/content-parsers";
import { HttpError } from "../http-errors";
import { runIdempotently } from "../services/idempotency/idempotency-ledger";
import { recordPredictions } from "../services/predictions/record-predictions";
import { idempotencyClaimOf, replay, type IngestRouteContext } from "./route-context";

export function registerPredictionRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, gate, metrics, profiles, models, partitions, writes, requireApiKey, now } = context;

  app.post(
    "/v1/predictions",
    { onRequest: requireApiKey({ anyOf: ["predictions:write"] }) },
    async (request, reply) => {
      const body = requireBody(request, ["json", "ndjson"]);
      const apiKey = authenticatedKey(request);
      const claim = idempotencyClaimOf(request, apiKey, body);
      // Not inside one gate slot: the look-ups take slots of their own and the write waits for
      // its group, whose transaction takes one slot for all the requests it carries.
      const result = await runIdempotently(
        sql,
        claim,
        () =>
          metrics.timeWrite("predictions", () =>
            recordPredictions(
              { sql, gate, profiles, models, partitions, writes },
              { apiKey, body: body.value, now: now(), idempotency: claim },
            ),
          ),
        gate,
      );
      if (result.replayed) return replay(reply, result.stored);
      const outcome = result.value;
      switch (outcome.kind) {
        case "invalid_batch":
          throw new HttpError(
            400,
            "schema_violation",
            `The batch is malformed: ${outcome.issues
              .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
              .join("; ")}`,
            outcome.issues,
          );
        case "forbidden": {
          const models = outcome.modelSlugs.map((slug) => `"${slug}"`).join(", ");
          const forbidden: ErrorResponse = {
            error: "forbidden",
            message: `This API key may not write model ${models}`,
          };
          return reply.code(403).send(forbidden);
        }
        case "recorded":
          metrics.recordsAccepted.inc({ kind: "prediction" }, outcome.accepted);
          metrics.recordsDuplicate.inc({ kind: "prediction" }, outcome.duplicates);
          for (const code of outcome.rejectedCodes) {
            metrics.recordsRejected.inc({ kind: "prediction", code });
          }
          return reply.code(outcome.stored.statusCode).send(outcome.stored.body);
      }
    },
  );
}
