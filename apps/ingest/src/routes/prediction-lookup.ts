import { ModelSlug, ModelVersion, PredictionId } from "@plumbline/contracts";
import type { FastifyInstance } from "fastify";

import { authenticatedKey, requireModelAllowed } from "../auth/api-key-guard";
import { HttpError } from "../http-errors";
import { lookupPrediction } from "../services/predictions/lookup-prediction";
import { resolveModelVersions } from "../services/caches/model-lookup";
import type { IngestRouteContext } from "./route-context";

/**
 * Who may look a prediction up: `read` keys, and keys that write predictions or labels for the
 * project (an inference service debugging what it sent). Allow-lists apply as for writes.
 */
export const PREDICTION_LOOKUP_SCOPES = ["read", "predictions:write", "labels:write"] as const;

export function registerPredictionLookupRoutes(app: FastifyInstance, context: IngestRouteContext) {
  const { sql, gate, requireApiKey } = context;

  app.get<{
    Params: { model_id: string; prediction_id: string };
    Querystring: { version?: string };
  }>(
    "/v1/predictions/:model_id/:prediction_id",
    { onRequest: requireApiKey({ anyOf: PREDICTION_LOOKUP_SCOPES }) },
    async (request) => {
      const { model_id: modelSlug, prediction_id: predictionId } = request.params;
      const version = request.query.version;
      if (!ModelSlug.safeParse(modelSlug).success) {
        throw new HttpError(400, "bad_request", `model_id "${modelSlug}" is not a model slug`);
      }
      if (!PredictionId.safeParse(predictionId).success) {
        throw new HttpError(
          400,
          "bad_request",
          "prediction_id must be 1 to 512 printable ASCII characters",
        );
      }
      if (version !== undefined && !ModelVersion.safeParse(version).success) {
        throw new HttpError(
          400,
          "bad_request",
          "version must be 1 to 128 printable ASCII characters",
        );
      }
      const apiKey = authenticatedKey(request);
      requireModelAllowed(apiKey, modelSlug);
      const found = await gate.run(async () => {
        const resolved = await resolveModelVersions(sql, apiKey.projectId, [{ slug: modelSlug }]);
        const model = resolved.models.get(modelSlug);
        if (!model) return null;
        return lookupPrediction(sql, { modelId: model.id, modelSlug, predictionId, version });
      });
      if (!found) {
        throw new HttpError(
          404,
          "not_found",
          `No prediction or label "${predictionId}" for model "${modelSlug}" in this project`,
        );
      }
      return found;
    },
  );
}
