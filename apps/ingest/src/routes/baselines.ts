import { ModelSlug, ModelVersion } from "@plumbline/contracts";
import type { FastifyInstance } from "fastify";

import { authenticatedKey, requireModelAllowed } from "../auth/api-key-guard";
import {
  BASELINE_MEDIA_TYPES,
  BaselineUpload,
  registerBaselineBodyParser,
} from "../body/baseline-body";
import { HttpError } from "../http-errors";
import { storeBaseline } from "../services/reference-profiles/store-baseline";
import { resolveModelVersions } from "../services/caches/model-lookup";
import type { IngestRouteContext } from "./route-context";

/**
 * The baseline upload, in its own encapsulated plugin: its body parser reads the payload stream
 * (CSV and NDJSON row by row) instead of the app-wide buffered parsers, under its own byte limit.
 */
export function registerBaselineRoutes(
  app: FastifyInstance,
  context: IngestRouteContext,
  bodyLimit: number,
) {
  void app.register((scope, _options, done) => {
    registerBaselineBodyParser(scope, bodyLimit);
    registerBaselineRoute(scope, context, bodyLimit);
    done();
  });
}

function registerBaselineRoute(
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
      const upload = request.body;
      if (!(upload instanceof BaselineUpload)) {
        throw new HttpError(
          415,
          "unsupported_media_type",
          `Content-Type must be ${BASELINE_MEDIA_TYPES}`,
        );
      }
      const rows = upload.rows;
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
