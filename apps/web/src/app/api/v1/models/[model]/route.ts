import { getModel } from "~/server/rest/registry-endpoints";
import { restRoute } from "~/server/rest/rest-route";

export const GET = restRoute<{ model: string }>("read", (caller, _request, params) =>
  getModel(caller, params.model),
);
