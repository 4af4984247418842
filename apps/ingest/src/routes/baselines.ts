import { ModelSlug, ModelVersion } from "@plumbline/contracts";
import type { FastifyInstance } from "fastify";

import { authenticatedKey, requireModelAllowed } from "../auth/api-key-guard";
import { requireBody } from "../body/content-parsers";
import { HttpError } from "../http-errors";
import { readReferenceRows, storeBaseline } from "../services/baseline/store-baseline";
import { resolveModelVersions } from "../services/model-lookup";
import type { IngestRouteContext } from "./route-context";

export function registerBaselineRoutes(
  app: FastifyInstance,
  context: IngestRouteContext,
  bodyLimit: number,
) {
  const { db, sql, gate, profiles, requireApiKey } = context;

  app.post<{ Params: { model_id: string; version: string } }>(
    "/v1/models/:model_id/versions/:version/baseline",
    { onRequest: requireApiKey({ anyOf: ["baselines:write"] }), bodyLimit },
    async (request, reply) => {
      const { model_id: modelSlug, version } = request.params;
      if (!ModelSlug.safeParse(modelSlug).success) {
        throw new HttpError(400, "bad_request", `model_id "${modelSlug}" is not a model slug`);
      }
      if (!ModelVersion.safeParse(version).success) {
        throw new HttpError(
          400,
          "bad_request",
          "version must be 1 to 128 printable ASCII characters",
        );
      }
      const apiKey = authenticatedKey(request);
      requireModelAllowed(apiKey, modelSlug);
      const rows = readReferenceRows(requireBody(request, ["json", "ndjson", "csv"]));
      const response = await gate.run(async () => {
        const resolved = await resolveModelVersions(sql, apiKey.projectId, [
          { slug: modelSlug, version },
        ]);
        const model = resolved.models.get(modelSlug);
        if (!model) {
          throw new HttpError(
            404,
            "not_found",
            `model "${modelSlug}" is not registered in this project`,
          );
        }
        if (!resolved.hasVersion(model.id, version)) {
          throw new HttpError(
            404,
            "not_found",
            `version "${version}" of model "${modelSlug}" is not registered`,
          );
        }
        const stored = await storeBaseline(db, {
          apiKey,
          model,
          version,
          rows,
          requestId: request.id,
          ip: request.ip,
        });
        // This instance counts bins against the new revision at once; others within seconds.
        profiles.forget(model.id, version);
        return stored;
      });
      return reply.code(201).send(response);
    },
  );
}
