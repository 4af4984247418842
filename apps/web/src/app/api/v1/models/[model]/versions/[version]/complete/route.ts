import { CompleteVersionRequest } from "@plumbline/contracts";

import { completeVersion } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/** Finishes a version registered with `status: "registering"`: `ready` freezes it. */
export const POST = restRoute<{ model: string; version: string }>(
  "models:register",
  async (caller, request, params) =>
    completeVersion(
      caller,
      { modelSlug: params.model, version: params.version },
      await readJsonBody(request, CompleteVersionRequest),
    ),
);
