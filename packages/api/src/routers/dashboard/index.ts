import { createTRPCRouter } from "../../trpc";
import { confidenceProcedure } from "./confidence";
import { dataQualityProcedure } from "./data-quality";
import { liveProcedure } from "./live";
import { lookupPredictionProcedure } from "./lookup-prediction";
import { overviewProcedure } from "./overview";
import { predictionsProcedure } from "./predictions";
import { segmentsProcedure } from "./segments";
import { trafficProcedure } from "./traffic";

/** The monitoring dashboard: overview, model page series (rollups only), lookup, live events. */
export const dashboardRouter = createTRPCRouter({
  overview: overviewProcedure,
  traffic: trafficProcedure,
  predictions: predictionsProcedure,
  confidence: confidenceProcedure,
  dataQuality: dataQualityProcedure,
  segments: segmentsProcedure,
  lookupPrediction: lookupPredictionProcedure,
  live: liveProcedure,
});
