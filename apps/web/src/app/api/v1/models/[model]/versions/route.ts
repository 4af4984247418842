import { RegisterVersionRequest } from "@plumbline/contracts";

import { createVersion, listVersions } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/** The model's versions, newest first, with their lineage. */
export const GET = restRoute<{ model: string }>("read", (caller, _request, params) =>
  listVersions(caller, params.model),
);

/** Registers a version with its artifact, code and datasets (registered by digest). */
export const POST = restRoute<{ model: string }>(
  "models:register",
  async (caller, request, params) =>
    createVersion(caller, params.model, await readJsonBody(request, RegisterVersionRequest)),
  201,
);
