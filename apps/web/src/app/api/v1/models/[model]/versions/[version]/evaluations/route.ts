import { PostEvaluationRequest } from "@plumbline/contracts";

import { createEvaluation } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/** Records one evaluation CI ran; it voids any open promotion request of the version. */
export const POST = restRoute<{ model: string; version: string }>(
  "evaluations:write",
  async (caller, request, params) =>
    createEvaluation(
      caller,
      { modelSlug: params.model, version: params.version },
      await readJsonBody(request, PostEvaluationRequest),
    ),
  201,
);
