import type { ErrorResponse } from "@plumbline/contracts";
import type { FastifyInstance } from "fastify";

import { authenticatedKey } from "../auth/api-key-guard";
import { requireBody } from "../body/content-parsers";
import { HttpError } from "../http-errors";
import { runIdempotently } from "../services/idempotency/idempotency-ledger";
import { recordLabels } from "../services/labels/record-labels";
import { idempotencyClaimOf, replay, type IngestRouteContext } from "./route-context";

export function registerLabelRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, gate, metrics, requireApiKey, now } = context;

  app.post(
    "/v1/labels",
    { onRequest: requireApiKey({ anyOf: ["labels:write"] }) },
    async (request, reply) => {
      const body = requireBody(request, ["json", "ndjson"]);
      const apiKey = authenticatedKey(request);
      const claim = idempotencyClaimOf(request, apiKey, body);
      // NDJSON carries one label per line: the same batch without a batch-level model.
      const value =
        body.format === "ndjson"
          ? { labels: (body.value as { records: unknown[] }).records }
          : body.value;
      const result = await gate.run(() =>
        runIdempotently(sql, claim, () =>
          metrics.timeWrite("labels", () =>
            recordLabels(sql, { apiKey, body: value, now: now(), idempotency: claim }),
          ),
        ),
      );
      if (result.replayed) return replay(reply, result.stored);
      const outcome = result.value;
      switch (outcome.kind) {
        case "invalid_batch":
          throw new HttpError(
            400,
            "schema_violation",
            `The label batch is malformed: ${outcome.issues
              .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
              .join("; ")}`,
            outcome.issues,
          );
        case "forbidden": {
          const forbidden: ErrorResponse = {
            error: "forbidden",
            message: `This API key may not write model ${outcome.modelSlugs.map((slug) => `"${slug}"`).join(", ")}`,
          };
          return reply.code(403).send(forbidden);
        }
        case "recorded":
          metrics.recordsAccepted.inc({ kind: "label" }, outcome.accepted);
          metrics.recordsDuplicate.inc({ kind: "label" }, outcome.duplicates);
          for (const code of outcome.rejectedCodes)
            metrics.recordsRejected.inc({ kind: "label", code });
          return reply.code(outcome.stored.statusCode).send(outcome.stored.body);
      }
    },
  );
}
