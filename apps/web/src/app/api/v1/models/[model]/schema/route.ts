import { SetModelSchemaRequest } from "@plumbline/contracts";

import { putModelSchema } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/** Replaces the model's schema: features (names, types, positions) and default class labels. */
export const PUT = restRoute<{ model: string }>(
  "models:register",
  async (caller, request, params) =>
    putModelSchema(caller, params.model, await readJsonBody(request, SetModelSchemaRequest)),
);
