import { z } from "zod";

import { rolloutPolicySchema } from "@plumbline/rollouts";

import { actOnDeployment, type DeploymentAction } from "../services/rollouts/deployment-actions";
import { getDeployment, listDeployments } from "../services/rollouts/deployment-queries";
import { rolloutPolicyOf, setRolloutPolicy } from "../services/rollouts/rollout-policies";
import { findEnvironment } from "../services/promotions/environments";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const deploymentRef = z.object({ deploymentId: z.uuid() });
const environmentName = z.string().min(1).max(64);

function act(
  ctx: Parameters<typeof serviceContextOf>[0],
  deploymentId: string,
  action: DeploymentAction,
  reason?: string,
) {
  return actOnDeployment(serviceContextOf(ctx), {
    deploymentId,
    action,
    ...(reason === undefined ? {} : { reason }),
  });
}

/**
 * Canary deployments: everyone with a role watches; engineers abort (their own promotion's,
 * the service checks); approvers resume, promote now and retry. Each role rule is a permission
 * of the one table in `@plumbline/auth`.
 */
export const rolloutsRouter = createTRPCRouter({
  list: permissionProcedure("dashboard.read")
    .input(
      z.object({
        modelSlug: z.string().min(1).max(128).optional(),
        live: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).optional(),
      }),
    )
    .query(({ ctx, input }) => listDeployments(ctx.db, ctx.project.id, input)),

  get: permissionProcedure("dashboard.read")
    .input(deploymentRef)
    .query(({ ctx, input }) => getDeployment(ctx.db, ctx.project.id, input.deploymentId)),

  abort: permissionProcedure("deployment.abort")
    .input(deploymentRef.extend({ reason: z.string().trim().min(1).max(2000) }))
    .mutation(({ ctx, input }) => act(ctx, input.deploymentId, "abort", input.reason)),

  resume: permissionProcedure("deployment.resume")
    .input(deploymentRef)
    .mutation(({ ctx, input }) => act(ctx, input.deploymentId, "resume")),

  promoteNow: permissionProcedure("deployment.promote")
    .input(deploymentRef)
    .mutation(({ ctx, input }) => act(ctx, input.deploymentId, "promote_now")),

  retry: permissionProcedure("deployment.resume")
    .input(deploymentRef)
    .mutation(({ ctx, input }) => act(ctx, input.deploymentId, "retry")),

  /** How an environment releases approved promotions: direct, or a canary strategy. */
  policy: permissionProcedure("dashboard.read")
    .input(z.object({ environmentName }))
    .query(async ({ ctx, input }) => {
      const environment = await findEnvironment(ctx.db, ctx.project.id, input.environmentName);
      return rolloutPolicyOf(ctx.db, environment.id);
    }),

  setPolicy: permissionProcedure("policy.manage")
    .input(z.object({ environmentName, policy: rolloutPolicySchema }))
    .mutation(({ ctx, input }) => setRolloutPolicy(serviceContextOf(ctx), input)),
});
