import { alertsRouter } from "./routers/alerts";
import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { dashboardRouter } from "./routers/dashboard";
import { driftRouter } from "./routers/drift";
import { meRouter } from "./routers/me";
import { membersRouter } from "./routers/members";
import { modelCardsRouter } from "./routers/model-cards";
import { modelsRouter } from "./routers/models";
import { monitorsRouter } from "./routers/monitors";
import { promotionsRouter } from "./routers/promotions";
import { referencesRouter } from "./routers/references";
import { registryRouter } from "./routers/registry";
import { retrainingRouter } from "./routers/retraining";
import { rolloutsRouter } from "./routers/rollouts";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, createTRPCRouter, registerInputParsers } from "./trpc";

export const appRouter = createTRPCRouter({
  me: meRouter,
  models: modelsRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
  registry: registryRouter,
  promotions: promotionsRouter,
  modelCards: modelCardsRouter,
  audit: auditRouter,
  webhooks: webhooksRouter,
  dashboard: dashboardRouter,
  drift: driftRouter,
  references: referencesRouter,
  retraining: retrainingRouter,
  monitors: monitorsRouter,
  alerts: alertsRouter,
  rollouts: rolloutsRouter,
});

registerInputParsers(appRouter);

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
