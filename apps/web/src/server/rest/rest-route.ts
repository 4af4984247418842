import type { z } from "zod";

import type { ApiKeyScope } from "@plumbline/contracts";

import { authenticateCaller, type ApiKeyCaller } from "./authenticate-api-key";
import { errorResponse, invalidBody, jsonResponse, RestError } from "./rest-error";

interface RouteContext<Params> {
  params: Promise<Params>;
}

/**
 * A Next.js route handler for the REST API: authenticates the key, checks `scope`, runs
 * `handle` and answers JSON (`status` on success, the mapped error otherwise).
 */
export function restRoute<Params>(
  scope: ApiKeyScope,
  handle: (caller: ApiKeyCaller, request: Request, params: Params) => Promise<unknown>,
  status = 200,
) {
  return async (request: Request, context: RouteContext<Params>): Promise<Response> => {
    try {
      const caller = await authenticateCaller(request, scope);
      return jsonResponse(await handle(caller, request, await context.params), status);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The request's JSON body, checked against `schema` (400 naming the first bad field). */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new RestError(400, "invalid_json", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}
