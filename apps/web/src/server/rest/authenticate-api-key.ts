import { randomUUID } from "node:crypto";

import type { ApiKeyScope } from "@plumbline/contracts";
import type { ServiceContext } from "@plumbline/api/services/service-context";
import {
  apiKeyAllowsModel,
  apiKeyHasScope,
  authenticateApiKey,
  touchApiKey,
} from "@plumbline/db/api-keys";
import { getDatabase } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";
import { requestClientAddress } from "@plumbline/auth/client-address";
import { readAuthEnv } from "@plumbline/auth/env";

import { RestError } from "./rest-error";

/** The caller of a REST request: its key, and the service context that acts as that key. */
export interface ApiKeyCaller {
  key: ApiKey;
  ctx: ServiceContext;
}

/** The token from `Authorization: Bearer <token>` or `X-API-Key: <token>`. */
export function presentedToken(headers: Headers): string | null {
  const authorization = headers.get("authorization")?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? match[1]! : null;
  }
  return headers.get("x-api-key")?.trim() || null;
}

/**
 * Authenticates the request's API key and checks it holds `scope`. Every authentication failure
 * (missing, malformed, unknown, revoked, expired) is the same 401, as ingest answers.
 */
export async function authenticateCaller(
  request: Request,
  scope: ApiKeyScope,
): Promise<ApiKeyCaller> {
  const token = presentedToken(request.headers);
  if (!token) {
    throw new RestError(
      401,
      "unauthenticated",
      "Missing API key: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`.",
    );
  }
  const { db } = getDatabase();
  const result = await authenticateApiKey(db, token);
  if (!result.ok) {
    throw new RestError(401, "unauthenticated", "The API key is invalid, revoked or expired.");
  }
  const { key } = result;
  if (!apiKeyHasScope(key, scope)) {
    throw new RestError(
      403,
      "missing_scope",
      `This API key lacks the "${scope}" scope; it has: ${key.scopes.join(", ") || "none"}.`,
    );
  }
  await touchApiKey(db, key);
  return {
    key,
    ctx: {
      db,
      projectId: key.projectId,
      actor: { type: "api_key", id: key.id },
      requestId: request.headers.get("x-request-id") ?? randomUUID(),
      ip: requestClientAddress(request.headers, readAuthEnv().PLUMBLINE_TRUSTED_PROXIES),
    },
  };
}

export function assertModelAllowed(caller: ApiKeyCaller, modelSlug: string): void {
  if (!apiKeyAllowsModel(caller.key, modelSlug)) {
    throw new RestError(
      403,
      "model_not_allowed",
      `This API key is not allowed to act on model "${modelSlug}".`,
    );
  }
}
