import { RegisterModelRequest } from "@plumbline/contracts";

import { createModel, listModels } from "~/server/rest/registry-endpoints";
import { readJsonBody, restRoute } from "~/server/rest/rest-route";

/** The project's models (those the key may see). */
export const GET = restRoute("read", (caller) => listModels(caller));

/** Registers a model. */
export const POST = restRoute(
  "models:register",
  async (caller, request) => createModel(caller, await readJsonBody(request, RegisterModelRequest)),
  201,
);
