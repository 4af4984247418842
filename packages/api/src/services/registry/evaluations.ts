import { z } from "zod";

import { evaluationSchema } from "@plumbline/governance";
import { evaluationGroupCounts, evaluationMetrics, evaluations } from "@plumbline/db/schema";

import { auditActorOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { invalidateOpenRequests } from "../promotions/invalidate";
import { lockSubject, withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";
import { versionInProject } from "./models";

export type EvaluationInput = z.input<typeof evaluationSchema>;

/**
 * Stores one evaluation CI posted (kind, outcome, metrics by slice, fairness group counts). New
 * evidence under an open request voids it (`evaluations_changed`): approvals must rest on the
 * evidence the approvers saw. Gates themselves run when a request is created.
 */
export async function postEvaluation(
  ctx: ServiceContext,
  input: { versionId: string; evaluation: EvaluationInput },
) {
  const parsed = evaluationSchema.safeParse(input.evaluation);
  if (!parsed.success) {
    throw new ServiceError("BAD_REQUEST", "invalid_evaluation", z.prettifyError(parsed.error));
  }
  const evaluation = parsed.data;
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", input.versionId);
    const version = await versionInProject(tx, ctx.projectId, input.versionId);
    const staleRequestIds = await invalidateOpenRequests(
      tx,
      ctx,
      { modelVersionId: version.id },
      "evaluations_changed",
      `new ${evaluation.kind} evaluation`,
    );
    const actor = auditActorOf(ctx.actor);
    const [row] = await tx
      .insert(evaluations)
      .values({
        modelId: version.modelId,
        modelVersionId: version.id,
        kind: evaluation.kind,
        outcome: evaluation.outcome,
        ciJobUrl: evaluation.ciJobUrl ?? null,
        actorType: actor.type,
        actorId: actor.id ?? null,
      })
      .returning();
    if (evaluation.metrics.length > 0) {
      await tx.insert(evaluationMetrics).values(
        evaluation.metrics.map((metric, position) => ({
          evaluationId: row!.id,
          metric: metric.metric,
          slice: metric.slice,
          value: metric.value,
          lower: metric.lower ?? null,
          upper: metric.upper ?? null,
          n: metric.n ?? null,
          position,
        })),
      );
    }
    if (evaluation.groups.length > 0) {
      await tx.insert(evaluationGroupCounts).values(
        evaluation.groups.map((group, position) => ({
          evaluationId: row!.id,
          ...group,
          position,
        })),
      );
    }
    await writeAudit(tx, ctx, {
      action: "evaluation.posted",
      resourceType: "evaluation",
      resourceId: row!.id,
      after: { modelVersionId: version.id, kind: evaluation.kind, outcome: evaluation.outcome },
    });
    await enqueueEvent(tx, {
      projectId: ctx.projectId,
      eventType: "evaluation.posted",
      resourceType: "evaluation",
      resourceId: row!.id,
      payload: {
        modelVersionId: version.id,
        kind: evaluation.kind,
        outcome: evaluation.outcome,
        staleRequestIds,
      },
    });
    return { evaluation: row!, staleRequestIds };
  });
}
