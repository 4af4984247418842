import { prepareDashboardQuery } from "../../services/dashboard/dashboard-query";
import { computeTraffic } from "../../services/dashboard/traffic";
import { permissionProcedure } from "../../trpc";
import { dashboardWindowInput } from "./dashboard-input";

export const trafficProcedure = permissionProcedure("dashboard.read")
  .input(dashboardWindowInput)
  .query(async ({ ctx, input }) =>
    computeTraffic(await prepareDashboardQuery(ctx.db, ctx.project.id, input, new Date())),
  );
