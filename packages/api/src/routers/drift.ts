import { z } from "zod";

import { PROFILE_TARGETS } from "@plumbline/contracts";

import { computeDriftHeatmap } from "../services/drift/compute-drift-heatmap";
import { computeDriftTable } from "../services/drift/compute-drift-table";
import { computeFeatureDrift } from "../services/drift/compute-feature-drift";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { dashboardWindowInput } from "./dashboard/dashboard-input";

const featureInput = dashboardWindowInput.extend({
  target: z.enum(PROFILE_TARGETS),
  name: z.string().min(1).max(128),
});

const read = permissionProcedure("dashboard.read");

/**
 * Drift of a model's features, prediction and score against each version's reference, from
 * the stored bin counts (`@plumbline/drift` on sums of the rollups; never raw rows).
 */
export const driftRouter = createTRPCRouter({
  /** Every profiled feature, prediction and score with its statistics, worst first. */
  table: read
    .input(dashboardWindowInput)
    .query(({ ctx, input }) => computeDriftTable(ctx.db, ctx.project.id, input, new Date())),

  /** Features x buckets, each cell a drift status (null where no value arrived). */
  heatmap: read
    .input(dashboardWindowInput)
    .query(({ ctx, input }) => computeDriftHeatmap(ctx.db, ctx.project.id, input, new Date())),

  /** One feature: histograms, statistics in plain words, per-bucket drift and quality. */
  feature: read
    .input(featureInput)
    .query(({ ctx, input }) => computeFeatureDrift(ctx.db, ctx.project.id, input, new Date())),
});
