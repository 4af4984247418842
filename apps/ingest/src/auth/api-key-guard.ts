import type { ApiKeyScope } from "@plumbline/contracts";
import { apiKeyHasScope, authenticateApiKey, touchApiKey } from "@plumbline/db/api-keys";
import type { Database } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";

import { HttpError } from "../http-errors";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated API key; set by `requireApiKey` before the body is read. */
    apiKey: ApiKey | null;
  }
}

/** One message for every failure, so a caller cannot tell a revoked key from a made-up one. */
const UNAUTHORIZED_MESSAGE =
  "Missing or invalid API key: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`";

function unauthorized(): HttpError {
  return new HttpError(401, "unauthorized", UNAUTHORIZED_MESSAGE, undefined, {
    "www-authenticate": 'Bearer realm="plumbline-ingest"',
  });
}

/** The token from `Authorization: Bearer <key>` or `X-API-Key: <key>`, if either is present. */
export function readPresentedToken(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? null;
  }
  const header = request.headers["x-api-key"];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || null;
}

/**
 * An onRequest hook: authenticates the key and checks one scope before the body is even read,
 * so unauthenticated clients cannot make the service parse 5 MB. Keys are never logged, only
 * the failure reason and the key's public id.
 */
export function requireApiKey(db: Database, scope: ApiKeyScope): onRequestAsyncHookHandler {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
    const token = readPresentedToken(request);
    if (!token) throw unauthorized();
    const authentication = await authenticateApiKey(db, token);
    if (!authentication.ok) {
      request.log.info({ reason: authentication.reason }, "API key rejected");
      throw unauthorized();
    }
    const { key } = authentication;
    if (!apiKeyHasScope(key, scope)) {
      throw new HttpError(403, "forbidden", `This API key lacks the "${scope}" scope`);
    }
    request.apiKey = key;
    await touchApiKey(db, key);
  };
}

/** The key set by `requireApiKey`; a route without the hook is a programming error. */
export function authenticatedKey(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw new Error("route is missing the requireApiKey hook");
  return request.apiKey;
}
