import { z } from "zod";

import { prepareDashboardQuery } from "../../services/dashboard/dashboard-query";
import { computePerformance } from "../../services/performance";
import { permissionProcedure } from "../../trpc";
import { dashboardWindowInput } from "./dashboard-input";

/**
 * Realised performance once labels join: confusion-based metrics, ROC-AUC and calibration for
 * classifiers, errors for regressors, with label coverage and delay. A segment slice has no
 * performance rollups, so it answers `available: false`.
 */
export const performanceProcedure = permissionProcedure("dashboard.read")
  .input(dashboardWindowInput.extend({ labelName: z.string().min(1).max(128).optional() }))
  .query(async ({ ctx, input }) => {
    const query = await prepareDashboardQuery(ctx.db, ctx.project.id, input, new Date());
    if (query.slice.segment) {
      return { available: false as const, unavailableReason: "segment_slice" as const };
    }
    const performance = await computePerformance(ctx.db, {
      modelId: query.model.id,
      from: query.window.from,
      to: query.window.to,
      bucketMs: query.window.bucketMs,
      version: query.slice.version,
      deployment: query.slice.deployment,
      labelName: input.labelName,
    });
    return {
      available: true as const,
      task: query.model.task,
      inProgressBucket: query.window.inProgressBucket,
      ...performance,
    };
  });
