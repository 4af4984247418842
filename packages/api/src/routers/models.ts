import { z } from "zod";

import { computeLiveMetrics } from "../services/live-metrics";
import {
  findModelBySlug,
  getModelWithVersions,
  listModelSummaries,
} from "../services/models/model-queries";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const modelSlug = z.string().min(1).max(128);

export const modelsRouter = createTRPCRouter({
  /** The project's models with their version count and the last hour's prediction count. */
  list: permissionProcedure("dashboard.read").query(({ ctx }) =>
    listModelSummaries(ctx.db, ctx.project.id),
  ),

  get: permissionProcedure("dashboard.read")
    .input(z.object({ modelSlug }))
    .query(async ({ ctx, input }) => {
      const { model, versions } = await getModelWithVersions(
        ctx.db,
        ctx.project.id,
        input.modelSlug,
      );
      return { model, versions, project: { slug: ctx.project.slug, name: ctx.project.name } };
    }),

  /** Volume and mean confidence per minute over the last hour (or `minutes`), from rollups. */
  liveMetrics: permissionProcedure("dashboard.read")
    .input(
      z.object({
        modelSlug,
        minutes: z
          .number()
          .int()
          .min(5)
          .max(24 * 60)
          .default(60),
      }),
    )
    .query(async ({ ctx, input }) => {
      const model = await findModelBySlug(ctx.db, ctx.project.id, input.modelSlug);
      return computeLiveMetrics(ctx.db, model.id, input.minutes);
    }),
});
