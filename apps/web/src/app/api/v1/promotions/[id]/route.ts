import { getPromotionStatus } from "~/server/rest/registry-endpoints";
import { restRoute } from "~/server/rest/rest-route";

/** A request's state, decisions and gate summary: what `plumbline status` and `wait` poll. */
export const GET = restRoute<{ id: string }>("read", (caller, _request, params) =>
  getPromotionStatus(caller, params.id),
);
