import { and, desc, eq, inArray } from "drizzle-orm";

import { createApiKey, revokeApiKey } from "@plumbline/db/api-keys";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { apiKeys, models, users, type ApiKey, type ApiKeyScope } from "@plumbline/db/schema";

import { auditActorOf, currentTime, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";

const DAY_MS = 24 * 60 * 60_000;

export type ApiKeyStatus = "active" | "revoked" | "expired";

/** What the dashboard may see of a key: never the secret's hash. */
export function describeApiKey(key: ApiKey, creatorName: string | null, now: Date) {
  const status: ApiKeyStatus = key.revokedAt
    ? "revoked"
    : key.expiresAt && key.expiresAt.getTime() <= now.getTime()
      ? "expired"
      : "active";
  return {
    id: key.id,
    name: key.name,
    mode: key.mode,
    keyId: key.keyId,
    // The secret is never stored, so the display prefix ends where the secret would begin.
    prefix: `pl_${key.mode}_${key.keyId}_…`,
    scopes: key.scopes,
    modelAllowList: key.modelAllowList,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    createdAt: key.createdAt,
    creatorName,
    status,
  };
}

/** The project's keys, newest first, with their creator's name. */
export async function listApiKeys(db: DatabaseOrTransaction, projectId: string, now = new Date()) {
  const rows = await db
    .select({ key: apiKeys, creatorName: users.name })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.projectId, projectId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map((row) => describeApiKey(row.key, row.creatorName, now));
}

export interface CreateProjectApiKeyInput {
  name: string;
  scopes: ApiKeyScope[];
  /** Null lets the key touch every model of the project. */
  modelAllowList: string[] | null;
  expiresInDays: number | null;
}

/**
 * Creates a key for the project, refusing an allow-list that names a model the project does not
 * have. The token in the answer is the only time anyone sees it.
 */
export async function createProjectApiKey(
  ctx: ServiceContext,
  input: CreateProjectApiKeyInput,
  context: { projectName: string; creatorName: string | null },
) {
  if (input.modelAllowList) {
    const found = await ctx.db
      .select({ slug: models.slug })
      .from(models)
      .where(and(eq(models.projectId, ctx.projectId), inArray(models.slug, input.modelAllowList)));
    const known = new Set(found.map((row) => row.slug));
    const unknown = input.modelAllowList.find((slug) => !known.has(slug));
    if (unknown !== undefined) {
      throw new ServiceError(
        "BAD_REQUEST",
        "unknown_model",
        `No model "${unknown}" in ${context.projectName}; a key can only be limited to existing models.`,
      );
    }
  }
  const now = currentTime(ctx);
  const { key, token } = await createApiKey(
    ctx.db,
    {
      projectId: ctx.projectId,
      name: input.name,
      scopes: input.scopes,
      modelAllowList: input.modelAllowList,
      expiresAt:
        input.expiresInDays === null
          ? null
          : new Date(now.getTime() + input.expiresInDays * DAY_MS),
    },
    auditActorOf(ctx.actor),
    { requestId: ctx.requestId ?? null, ip: ctx.ip ?? null },
  );
  return { token, key: describeApiKey(key, context.creatorName, now) };
}

/** Revokes an active key of the project at once, audited. */
export async function revokeProjectApiKey(ctx: ServiceContext, apiKeyId: string) {
  const key = await revokeApiKey(
    ctx.db,
    { projectId: ctx.projectId, apiKeyId },
    auditActorOf(ctx.actor),
    { requestId: ctx.requestId ?? null, ip: ctx.ip ?? null },
  );
  // Another project's key and an already revoked one look the same: nothing to revoke here.
  if (!key) throw new ServiceError("NOT_FOUND", "not_found", "No active key with that id here.");
  return { id: key.id, revokedAt: key.revokedAt };
}
