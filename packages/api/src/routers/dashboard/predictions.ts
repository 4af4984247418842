import { prepareDashboardQuery } from "../../services/dashboard/dashboard-query";
import { computePredictions } from "../../services/dashboard/predictions";
import { permissionProcedure } from "../../trpc";
import { dashboardWindowInput } from "./dashboard-input";

export const predictionsProcedure = permissionProcedure("dashboard.read")
  .input(dashboardWindowInput)
  .query(async ({ ctx, input }) =>
    computePredictions(await prepareDashboardQuery(ctx.db, ctx.project.id, input, new Date())),
  );
