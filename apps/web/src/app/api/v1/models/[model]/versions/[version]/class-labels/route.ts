import { SetClassLabelsRequest } from "@plumbline/contracts";

import { putVersionClassLabels } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/** Sets the version's class labels while it is registering; a ready version answers 409. */
export const PUT = restRoute<{ model: string; version: string }>(
  "models:register",
  async (caller, request, params) =>
    putVersionClassLabels(
      caller,
      { modelSlug: params.model, version: params.version },
      await readJsonBody(request, SetClassLabelsRequest),
    ),
);
