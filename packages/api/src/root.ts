import { apiKeysRouter } from "./routers/api-keys";
import { meRouter } from "./routers/me";
import { membersRouter } from "./routers/members";
import { modelsRouter } from "./routers/models";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  me: meRouter,
  models: modelsRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
