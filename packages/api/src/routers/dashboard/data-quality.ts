import { prepareDashboardQuery } from "../../services/dashboard/dashboard-query";
import { computeDataQuality } from "../../services/dashboard/data-quality";
import { permissionProcedure } from "../../trpc";
import { dashboardWindowInput } from "./dashboard-input";

export const dataQualityProcedure = permissionProcedure("dashboard.read")
  .input(dashboardWindowInput)
  .query(async ({ ctx, input }) =>
    computeDataQuality(await prepareDashboardQuery(ctx.db, ctx.project.id, input, new Date())),
  );
