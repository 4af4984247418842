import { prepareDashboardQuery } from "../../services/dashboard/dashboard-query";
import { computeConfidence } from "../../services/dashboard/confidence";
import { permissionProcedure } from "../../trpc";
import { dashboardWindowInput } from "./dashboard-input";

export const confidenceProcedure = permissionProcedure("dashboard.read")
  .input(dashboardWindowInput)
  .query(async ({ ctx, input }) =>
    computeConfidence(await prepareDashboardQuery(ctx.db, ctx.project.id, input, new Date())),
  );
