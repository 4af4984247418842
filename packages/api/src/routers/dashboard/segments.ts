import { prepareDashboardQuery } from "../../services/dashboard/dashboard-query";
import { listSegments } from "../../services/dashboard/segments";
import { permissionProcedure } from "../../trpc";
import { dashboardWindowInput } from "./dashboard-input";

export const segmentsProcedure = permissionProcedure("dashboard.read")
  .input(dashboardWindowInput)
  .query(async ({ ctx, input }) =>
    listSegments(await prepareDashboardQuery(ctx.db, ctx.project.id, input, new Date())),
  );
