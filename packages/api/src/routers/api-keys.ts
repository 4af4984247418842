import { z } from "zod";

import { API_KEY_SCOPES } from "@plumbline/db/schema";

import {
  createProjectApiKey,
  listApiKeys,
  revokeProjectApiKey,
} from "../services/api-keys/api-keys";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

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

export const apiKeysRouter = createTRPCRouter({
  /** The project's keys, newest first, with their creator. Admins only. */
  list: permissionProcedure("apikey.manage").query(({ ctx }) =>
    listApiKeys(ctx.db, ctx.project.id),
  ),

  /** Creates a key; the token in the answer is the only time anyone sees it. Admins only. */
  create: permissionProcedure("apikey.manage")
    .input(createInput)
    .mutation(({ ctx, input }) =>
      createProjectApiKey(
        serviceContextOf(ctx),
        {
          name: input.name,
          scopes: input.scopes,
          modelAllowList: input.modelAllowList,
          expiresInDays: input.expiresInDays,
        },
        { projectName: ctx.project.name, creatorName: ctx.access.user.name },
      ),
    ),

  /** Revokes a key of this project at once; audited. Admins only. */
  revoke: permissionProcedure("apikey.manage")
    .input(z.object({ apiKeyId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeProjectApiKey(serviceContextOf(ctx), input.apiKeyId)),
});
