import { z } from "zod";

import { PROMOTION_STATES, type GatePolicyInput } from "@plumbline/governance";

import {
  breakGlassPromotion,
  cancelPromotion,
  decidePromotion,
} from "../services/promotions/decide-promotion";
import { deployPromotion, rollBackPromotion } from "../services/promotions/deploy-promotion";
import { findEnvironment } from "../services/promotions/environments";
import { policyOf, upsertGatePolicy } from "../services/promotions/gate-policies";
import { getPromotion, listPromotions } from "../services/promotions/promotion-queries";
import { requestPromotion } from "../services/promotions/request-promotion";
import { findVersion } from "../services/registry/models";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const requestRef = z.object({ requestId: z.uuid() });
const comment = z.string().max(5000);

/** Gate policies, promotion requests, decisions and deployment of approved promotions. */
export const promotionsRouter = createTRPCRouter({
  policy: permissionProcedure("dashboard.read")
    .input(z.object({ environment: z.string().min(1).max(63) }))
    .query(async ({ ctx, input }) => {
      const environment = await findEnvironment(ctx.db, ctx.project.id, input.environment);
      return policyOf(ctx.db, environment);
    }),

  upsertPolicy: permissionProcedure("policy.manage")
    .input(
      z.object({
        environment: z.string().min(1).max(63),
        // Validated again by the service with the environment's kind.
        policy: z.record(z.string(), z.unknown()),
      }),
    )
    .mutation(({ ctx, input }) =>
      upsertGatePolicy(serviceContextOf(ctx), {
        environmentName: input.environment,
        policy: input.policy as Omit<GatePolicyInput, "environment">,
      }),
    ),

  list: permissionProcedure("dashboard.read")
    .input(
      z.object({
        states: z.array(z.enum(PROMOTION_STATES)).optional(),
        /** One version's requests (the version page lists them). */
        modelVersionId: z.uuid().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listPromotions(ctx.db, ctx.project.id, {
        ...(input.states ? { states: input.states } : {}),
        ...(input.modelVersionId ? { modelVersionId: input.modelVersionId } : {}),
      }),
    ),

  get: permissionProcedure("dashboard.read")
    .input(requestRef)
    .query(({ ctx, input }) => getPromotion(ctx.db, ctx.project.id, input.requestId)),

  request: permissionProcedure("promotion.request")
    .input(
      z.object({
        modelSlug: z.string().min(1).max(128),
        version: z.string().min(1).max(128),
        environment: z.string().min(1).max(63),
        justification: z.string().max(5000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return requestPromotion(serviceContextOf(ctx), {
        modelVersionId: version.id,
        environmentName: input.environment,
        justification: input.justification,
      });
    }),

  approve: permissionProcedure("promotion.approve")
    .input(requestRef.extend({ comment, artifactDigest: z.string().max(100) }))
    .mutation(({ ctx, input }) =>
      decidePromotion(serviceContextOf(ctx), { ...input, decision: "approve" }),
    ),

  reject: permissionProcedure("promotion.approve")
    .input(requestRef.extend({ comment, artifactDigest: z.string().max(100) }))
    .mutation(({ ctx, input }) =>
      decidePromotion(serviceContextOf(ctx), { ...input, decision: "reject" }),
    ),

  cancel: permissionProcedure("promotion.request")
    .input(requestRef.extend({ reason: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) =>
      cancelPromotion(serviceContextOf(ctx), {
        requestId: input.requestId,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      }),
    ),

  breakGlass: permissionProcedure("promotion.break_glass")
    .input(requestRef.extend({ reason: z.string().max(5000) }))
    .mutation(({ ctx, input }) => breakGlassPromotion(serviceContextOf(ctx), input)),

  deploy: permissionProcedure("promotion.deploy")
    .input(requestRef)
    .mutation(({ ctx, input }) => deployPromotion(serviceContextOf(ctx), input)),

  rollBack: permissionProcedure("deployment.abort")
    .input(requestRef.extend({ reason: z.string().min(1).max(2000) }))
    .mutation(({ ctx, input }) => rollBackPromotion(serviceContextOf(ctx), input)),
});
