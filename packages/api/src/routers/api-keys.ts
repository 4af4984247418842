import { TRPCError } from "@trpc/server";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";

import { createApiKey, revokeApiKey } from "@plumbline/db/api-keys";
import { API_KEY_SCOPES, apiKeys, models, users, type ApiKey } from "@plumbline/db/schema";

import { createTRPCRouter, permissionProcedure } from "../trpc";

const DAY_MS = 24 * 60 * 60_000;

const createInput = z.object({
  name: z.string().trim().min(1, "Name the key.").max(100, "Keep the name to 100 characters."),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1, "Choose at least one scope.")
    .transform((scopes) => [...new Set(scopes)]),
  /** Null lets the key touch every model of the project. */
  modelAllowList: z
    .array(z.string().min(1).max(128))
    .min(1, "Choose at least one model, or allow all models.")
    .transform((slugs) => [...new Set(slugs)])
    .nullable(),
  expiresInDays: z.number().int().min(1).max(3650).nullable(),
});

export type ApiKeyStatus = "active" | "revoked" | "expired";

/** What the dashboard may see of a key: never the secret's hash. */
function describeApiKey(key: ApiKey, creatorName: string | null, now: Date) {
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

export const apiKeysRouter = createTRPCRouter({
  /** The project's keys, newest first, with their creator. Admins only. */
  list: permissionProcedure("apikey.manage").query(async ({ ctx }) => {
    const rows = await ctx.db
      .select({ key: apiKeys, creatorName: users.name })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(eq(apiKeys.projectId, ctx.project.id))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    const now = new Date();
    return rows.map((row) => describeApiKey(row.key, row.creatorName, now));
  }),

  /** Creates a key; the token in the answer is the only time anyone sees it. Admins only. */
  create: permissionProcedure("apikey.manage")
    .input(createInput)
    .mutation(async ({ ctx, input }) => {
      if (input.modelAllowList) {
        const found = await ctx.db
          .select({ slug: models.slug })
          .from(models)
          .where(
            and(eq(models.projectId, ctx.project.id), inArray(models.slug, input.modelAllowList)),
          );
        const known = new Set(found.map((row) => row.slug));
        const unknown = input.modelAllowList.find((slug) => !known.has(slug));
        if (unknown !== undefined) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `No model "${unknown}" in ${ctx.project.name}; a key can only be limited to existing models.`,
          });
        }
      }
      const now = new Date();
      const { key, token } = await createApiKey(
        ctx.db,
        {
          projectId: ctx.project.id,
          name: input.name,
          scopes: input.scopes,
          modelAllowList: input.modelAllowList,
          expiresAt:
            input.expiresInDays === null
              ? null
              : new Date(now.getTime() + input.expiresInDays * DAY_MS),
        },
        { type: "user", id: ctx.userId },
        { requestId: ctx.requestId ?? null, ip: ctx.ip ?? null },
      );
      return { token, key: describeApiKey(key, ctx.access.user.name, now) };
    }),

  /** Revokes a key of this project at once; audited. Admins only. */
  revoke: permissionProcedure("apikey.manage")
    .input(z.object({ apiKeyId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const key = await revokeApiKey(
        ctx.db,
        { projectId: ctx.project.id, apiKeyId: input.apiKeyId },
        { type: "user", id: ctx.userId },
        { requestId: ctx.requestId ?? null, ip: ctx.ip ?? null },
      );
      // Another project's key and an already revoked one look the same: nothing to revoke here.
      if (!key) {
        throw new TRPCError({ code: "NOT_FOUND", message: "No active key with that id here." });
      }
      return { id: key.id, revokedAt: key.revokedAt };
    }),
});
