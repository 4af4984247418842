import { z } from "zod";

import { RangePreset } from "@plumbline/contracts";

import { computeOverview } from "../../services/dashboard/overview";
import { permissionProcedure } from "../../trpc";

export const overviewProcedure = permissionProcedure("dashboard.read")
  .input(z.object({ range: z.strictObject({ preset: RangePreset }).optional() }))
  .query(({ ctx, input }) =>
    computeOverview(ctx.db, ctx.project.id, input.range?.preset ?? "24h", new Date()),
  );
