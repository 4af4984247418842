import { RequestPromotionRequest } from "@plumbline/contracts";

import { createPromotionRequest } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/**
 * Requests a promotion and runs its gates. A key can request, never approve: approval is for
 * signed-in approvers only, and there is no REST endpoint for it.
 */
export const POST = restRoute<{ model: string; version: string }>(
  "promotions:request",
  async (caller, request, params) =>
    createPromotionRequest(
      caller,
      { modelSlug: params.model, version: params.version },
      await readJsonBody(request, RequestPromotionRequest),
    ),
  201,
);
