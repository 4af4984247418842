import { eq } from "drizzle-orm";

import type { DeploymentEvent } from "@plumbline/rollouts";
import { deployments, promotionRequests } from "@plumbline/db/schema";

import { currentTime, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import { advanceDeployment } from "./advance-deployments";
import { persistDeploymentEvent } from "./persist-deployment";

export type DeploymentAction = "abort" | "resume" | "promote_now" | "retry";

/**
 * A person's action on a deployment, in one transaction (the row locked while it applies), then
 * one worker step right away so that an abort reaches `rolled_back` and a promote-now reaches
 * `succeeded` without waiting for the next pass. Who may press what is the router's permission
 * table; one finer rule lives here: an ml_engineer aborts only a deployment of their own
 * promotion request, as the role matrix says.
 */
export async function actOnDeployment(
  ctx: ServiceContext,
  input: { deploymentId: string; action: DeploymentAction; reason?: string },
) {
  const now = currentTime(ctx);
  const event: DeploymentEvent =
    input.action === "abort"
      ? { type: "abort", now, reason: input.reason?.trim() || "aborted by a person" }
      : { type: input.action, now };
  const applied = await withRetryingTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .select()
      .from(deployments)
      .where(eq(deployments.id, input.deploymentId))
      .for("update");
    if (!row || row.projectId !== ctx.projectId) throw notFound("deployment");
    if (input.action === "abort" && ctx.actor.type === "user" && ctx.actor.role === "ml_engineer") {
      const [request] = row.promotionRequestId
        ? await tx
            .select({ requesterUserId: promotionRequests.requesterUserId })
            .from(promotionRequests)
            .where(eq(promotionRequests.id, row.promotionRequestId))
        : [];
      if (request?.requesterUserId !== ctx.actor.id) {
        throw new ServiceError(
          "FORBIDDEN",
          "not_own_deployment",
          "An ml_engineer may only abort the deployment of their own promotion.",
        );
      }
    }
    return persistDeploymentEvent(tx, ctx, row, event);
  });
  await advanceDeployment(ctx.db, input.deploymentId, { now });
  return applied.row;
}
