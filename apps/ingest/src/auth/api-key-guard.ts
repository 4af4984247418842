import type { ApiKeyScope } from "@plumbline/contracts";
import { apiKeyHasScope } from "@plumbline/db/api-keys";
import type { ApiKey } from "@plumbline/db/schema";
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";

import type { TokenBucketLimiter } from "../backpressure/token-bucket-limiter";
import { HttpError } from "../http-errors";
import type { ApiKeyAuthenticator } from "./api-key-authenticator";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated API key; set by the API key guard before the body is read. */
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

/** 429 for a client address that has failed too often; says nothing about the key itself. */
function tooManyFailures(retryAfterSeconds: number): HttpError {
  return new HttpError(
    429,
    "rate_limited",
    `Too many failed authentications from this address; retry after ${retryAfterSeconds} s`,
    undefined,
    { "retry-after": String(retryAfterSeconds) },
  );
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

export interface ApiKeyGuardOptions {
  authenticator: ApiKeyAuthenticator;
  /** The per-key rate limit. */
  limiter: TokenBucketLimiter;
}

/** Which scopes a route needs: one of a list, or just a valid key of any scope. */
export type ScopeRequirement = { anyOf: readonly ApiKeyScope[] } | "any_valid_key";

function describeRequirement(requirement: ScopeRequirement): string {
  if (requirement === "any_valid_key") return "a valid key";
  return requirement.anyOf.map((scope) => `"${scope}"`).join(" or ");
}

/**
 * onRequest hooks that authenticate the key and check its scope before the body is even read,
 * so unauthenticated clients cannot make the service parse 5 MB, then apply the key's rate
 * limit. Keys are never logged, only the failure reason. Authentication never waits behind
 * writes (see `ApiKeyAuthenticator`).
 */
export function createApiKeyGuard(options: ApiKeyGuardOptions) {
  const { authenticator, limiter } = options;
  return function requireApiKey(requirement: ScopeRequirement): onRequestAsyncHookHandler {
    return async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
      const authentication = await authenticator.authenticate(
        readPresentedToken(request),
        request.ip,
      );
      if (!authentication.ok) {
        request.log.info({ reason: authentication.reason }, "API key rejected");
        if (authentication.retryAfterSeconds !== undefined) {
          throw tooManyFailures(authentication.retryAfterSeconds);
        }
        throw unauthorized();
      }
      const { key } = authentication;
      if (
        requirement !== "any_valid_key" &&
        !requirement.anyOf.some((scope) => apiKeyHasScope(key, scope))
      ) {
        throw new HttpError(
          403,
          "forbidden",
          `This API key lacks the ${describeRequirement(requirement)} scope`,
        );
      }
      const decision = limiter.take(key.id);
      if (!decision.allowed) {
        throw new HttpError(
          429,
          "rate_limited",
          `Too many requests for this API key; retry after ${decision.retryAfterSeconds} s`,
          undefined,
          { "retry-after": String(decision.retryAfterSeconds) },
        );
      }
      request.apiKey = key;
      authenticator.recordUse(key);
    };
  };
}

export type RequireApiKey = ReturnType<typeof createApiKeyGuard>;

/** The key set by the guard; a route without the hook is a programming error. */
export function authenticatedKey(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw new Error("route is missing the API key guard");
  return request.apiKey;
}

/** 403 unless the key may touch this model (its allow-list, if it has one). */
export function requireModelAllowed(key: ApiKey, modelSlug: string) {
  if (key.modelAllowList !== null && !key.modelAllowList.includes(modelSlug)) {
    throw new HttpError(403, "forbidden", `This API key may not access model "${modelSlug}"`);
  }
}
