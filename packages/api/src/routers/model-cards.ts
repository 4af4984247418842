import { z } from "zod";

import {
  approveModelCard,
  editModelCard,
  exportModelCardMarkdown,
  getModelCard,
  submitModelCard,
} from "../services/model-cards/model-cards";
import { findVersion } from "../services/registry/models";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const versionRef = z.object({
  modelSlug: z.string().min(1).max(128),
  version: z.string().min(1).max(128),
});

/**
 * The revision the caller read (0: it saw no card). When given, a write is refused with CONFLICT
 * `card_revision_conflict` if the card has changed since; omitted, the write is unconditional.
 */
const expectedRevision = z.number().int().nonnegative().optional();
const transition = versionRef.extend({ expectedRevision });

/** Model cards per version: read, export, edit (engineers), submit, approve (approvers). */
export const modelCardsRouter = createTRPCRouter({
  get: permissionProcedure("dashboard.read")
    .input(versionRef)
    .query(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return getModelCard(ctx.db, ctx.project.id, version.id);
    }),

  markdown: permissionProcedure("dashboard.read")
    .input(versionRef)
    .query(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return exportModelCardMarkdown(ctx.db, ctx.project.id, version.id);
    }),

  edit: permissionProcedure("card.edit")
    .input(
      versionRef.extend({
        // The Model Card Toolkit layout; validated by the service with governance's schema.
        content: z.record(z.string(), z.unknown()),
        fillFromEvidence: z.boolean().default(false),
        expectedRevision,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return editModelCard(serviceContextOf(ctx), {
        versionId: version.id,
        content: input.content,
        fillFromEvidence: input.fillFromEvidence,
        expectedRevision: input.expectedRevision,
      });
    }),

  submit: permissionProcedure("card.edit")
    .input(transition)
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return submitModelCard(serviceContextOf(ctx), {
        versionId: version.id,
        expectedRevision: input.expectedRevision,
      });
    }),

  approve: permissionProcedure("card.approve")
    .input(transition)
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return approveModelCard(serviceContextOf(ctx), {
        versionId: version.id,
        expectedRevision: input.expectedRevision,
      });
    }),
});
