import { z } from "zod";

import { ModelSlug, PredictionId } from "@plumbline/contracts";

import { findDashboardModel } from "../../services/dashboard/find-dashboard-model";
import { lookupPrediction } from "../../services/dashboard/lookup-prediction";
import { permissionProcedure } from "../../trpc";

export const lookupPredictionProcedure = permissionProcedure("dashboard.read")
  .input(z.object({ modelSlug: ModelSlug, predictionId: PredictionId }))
  .query(async ({ ctx, input }) => {
    const model = await findDashboardModel(ctx.db, ctx.project.id, input.modelSlug);
    return lookupPrediction(ctx.db, model, input.predictionId);
  });
