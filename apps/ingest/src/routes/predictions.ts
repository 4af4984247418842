import type { ErrorResponse, IngestResponse } from "@plumbline/contracts";
import type { Database, SqlClient } from "@plumbline/db/client";
import type { FastifyInstance } from "fastify";

import { authenticatedKey, requireApiKey } from "../auth/api-key-guard";
import { HttpError } from "../http-errors";
import { recordPredictions } from "../services/record-predictions";

export interface PredictionRoutesOptions {
  db: Database;
  sql: SqlClient;
  now: () => Date;
}

/** 202 when nothing was rejected, 207 when some records made it, 400 when none did. */
export function ingestStatusCode(response: IngestResponse): 202 | 207 | 400 {
  if (response.rejected.length === 0) return 202;
  return response.accepted + response.duplicates > 0 ? 207 : 400;
}

export function registerPredictionRoutes(app: FastifyInstance, options: PredictionRoutesOptions) {
  const { db, sql, now } = options;

  app.post(
    "/v1/predictions",
    { onRequest: requireApiKey(db, "predictions:write") },
    async (request, reply) => {
      const outcome = await recordPredictions(
        { db, sql },
        { apiKey: authenticatedKey(request), body: request.body, now: now() },
      );
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
          const body: ErrorResponse = {
            error: "forbidden",
            message: `This API key may not write model ${models}`,
          };
          return reply.code(403).send(body);
        }
        case "recorded":
          return reply.code(ingestStatusCode(outcome.response)).send(outcome.response);
      }
    },
  );
}
