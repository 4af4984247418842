import { TRPCError } from "@trpc/server";
import { and, asc, count, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";

import { modelVersions, models, predictionRollupsMinute } from "@plumbline/db/schema";

import { computeLiveMetrics } from "../services/live-metrics";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const modelSlug = z.string().min(1).max(128);

export const modelsRouter = createTRPCRouter({
  /** The project's models with their version count and the last hour's prediction count. */
  list: permissionProcedure("dashboard.read").query(async ({ ctx }) => {
    const rows = await ctx.db
      .select()
      .from(models)
      .where(eq(models.projectId, ctx.project.id))
      .orderBy(asc(models.name));
    const modelIds = rows.map((row) => row.id);
    if (modelIds.length === 0) return [];
    const versionCounts = await ctx.db
      .select({ modelId: modelVersions.modelId, n: count() })
      .from(modelVersions)
      .where(inArray(modelVersions.modelId, modelIds))
      .groupBy(modelVersions.modelId);
    const hourCounts = await ctx.db
      .select({
        modelId: predictionRollupsMinute.modelId,
        n: sql<number>`sum(${predictionRollupsMinute.count})::float8`,
      })
      .from(predictionRollupsMinute)
      .where(
        and(
          inArray(predictionRollupsMinute.modelId, modelIds),
          gte(predictionRollupsMinute.minute, new Date(Date.now() - 60 * 60_000)),
        ),
      )
      .groupBy(predictionRollupsMinute.modelId);
    const versionsOf = new Map(versionCounts.map((row) => [row.modelId, row.n]));
    const lastHourOf = new Map(hourCounts.map((row) => [row.modelId, row.n]));
    return rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      task: row.task,
      createdAt: row.createdAt,
      versionCount: versionsOf.get(row.id) ?? 0,
      lastHourCount: lastHourOf.get(row.id) ?? 0,
    }));
  }),

  get: permissionProcedure("dashboard.read")
    .input(z.object({ modelSlug }))
    .query(async ({ ctx, input }) => {
      const model = await ctx.db.query.models.findFirst({
        where: and(eq(models.projectId, ctx.project.id), eq(models.slug, input.modelSlug)),
      });
      if (!model) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No model "${input.modelSlug}".` });
      }
      const versions = await ctx.db
        .select()
        .from(modelVersions)
        .where(eq(modelVersions.modelId, model.id))
        .orderBy(asc(modelVersions.createdAt));
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
      const model = await ctx.db.query.models.findFirst({
        where: and(eq(models.projectId, ctx.project.id), eq(models.slug, input.modelSlug)),
        columns: { id: true },
      });
      if (!model) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No model "${input.modelSlug}".` });
      }
      return computeLiveMetrics(ctx.db, model.id, input.minutes);
    }),
});
