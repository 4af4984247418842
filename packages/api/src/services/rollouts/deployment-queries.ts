import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";

import { LIVE_DEPLOYMENT_STATES, rollbackBoundSeconds } from "@plumbline/rollouts";
import type { Database } from "@plumbline/db/client";
import {
  analysisMeasurements,
  analysisRuns,
  deploymentEvents,
  deploymentSteps,
  deployments,
  models,
  modelVersions,
  promotionRequests,
} from "@plumbline/db/schema";

import { notFound } from "../service-error";
import { strategyOf } from "./deployment-record";

const candidate = alias(modelVersions, "candidate");
const stable = alias(modelVersions, "stable");

const summaryColumns = {
  id: deployments.id,
  modelId: deployments.modelId,
  modelSlug: models.slug,
  modelName: models.name,
  environment: deployments.targetAlias,
  state: deployments.state,
  weight: deployments.weight,
  stepIndex: deployments.stepIndex,
  attempt: deployments.attempt,
  abortReason: deployments.abortReason,
  message: deployments.message,
  candidateVersion: candidate.version,
  stableVersion: stable.version,
  startedAt: deployments.startedAt,
  finishedAt: deployments.finishedAt,
  updatedAt: deployments.updatedAt,
};

/** A project's deployments, newest first; optionally one model's, or only the live ones. */
export async function listDeployments(
  db: Database,
  projectId: string,
  input: { modelSlug?: string; live?: boolean; limit?: number },
) {
  const filters: SQL[] = [eq(deployments.projectId, projectId)];
  if (input.modelSlug !== undefined) filters.push(eq(models.slug, input.modelSlug));
  if (input.live) filters.push(inArray(deployments.state, [...LIVE_DEPLOYMENT_STATES]));
  return db
    .select(summaryColumns)
    .from(deployments)
    .innerJoin(models, eq(models.id, deployments.modelId))
    .innerJoin(candidate, eq(candidate.id, deployments.candidateVersionId))
    .leftJoin(stable, eq(stable.id, deployments.stableVersionId))
    .where(and(...filters))
    .orderBy(desc(deployments.startedAt))
    .limit(input.limit ?? 50);
}

/**
 * One deployment with everything its page shows: the strategy and its steps as run, the
 * timeline, each analysis run with its measurements (canary and stable side by side, with the
 * conditions each was judged by), the promotion it came from and the rollback bound.
 */
export async function getDeployment(db: Database, projectId: string, deploymentId: string) {
  const [summary] = await db
    .select({
      ...summaryColumns,
      promotionRequestId: deployments.promotionRequestId,
      requesterUserId: promotionRequests.requesterUserId,
      strategy: deployments.strategy,
      stepStartedAt: deployments.stepStartedAt,
      pauseReason: deployments.pauseReason,
      pauseUntil: deployments.pauseUntil,
    })
    .from(deployments)
    .innerJoin(models, eq(models.id, deployments.modelId))
    .innerJoin(candidate, eq(candidate.id, deployments.candidateVersionId))
    .leftJoin(stable, eq(stable.id, deployments.stableVersionId))
    .leftJoin(promotionRequests, eq(promotionRequests.id, deployments.promotionRequestId))
    .where(and(eq(deployments.id, deploymentId), eq(deployments.projectId, projectId)));
  if (!summary) throw notFound("deployment");
  const strategy = strategyOf(summary);
  const byDeployment = (table: { modelId: AnyPgColumn; deploymentId: AnyPgColumn }) =>
    and(eq(table.modelId, summary.modelId), eq(table.deploymentId, deploymentId));
  const [steps, events, runs] = await Promise.all([
    db
      .select()
      .from(deploymentSteps)
      .where(byDeployment(deploymentSteps))
      .orderBy(asc(deploymentSteps.attempt), asc(deploymentSteps.stepIndex)),
    db
      .select()
      .from(deploymentEvents)
      .where(byDeployment(deploymentEvents))
      .orderBy(asc(deploymentEvents.sequence), asc(deploymentEvents.position)),
    db
      .select()
      .from(analysisRuns)
      .where(byDeployment(analysisRuns))
      .orderBy(asc(analysisRuns.attempt), asc(analysisRuns.stepIndex)),
  ]);
  const measurements =
    runs.length === 0
      ? []
      : await db
          .select()
          .from(analysisMeasurements)
          .where(
            and(
              eq(analysisMeasurements.modelId, summary.modelId),
              inArray(
                analysisMeasurements.runId,
                runs.map((run) => run.id),
              ),
            ),
          )
          .orderBy(
            asc(analysisMeasurements.metricName),
            asc(analysisMeasurements.measurementIndex),
          );
  return {
    ...summary,
    strategy,
    steps,
    events,
    runs: runs.map((run) => ({
      ...run,
      measurements: measurements.filter((measurement) => measurement.runId === run.id),
    })),
    rollbackBoundSeconds: rollbackBoundSeconds(strategy.analysis?.metrics ?? []),
  };
}

export type DeploymentDetail = Awaited<ReturnType<typeof getDeployment>>;
export type DeploymentSummary = Awaited<ReturnType<typeof listDeployments>>[number];
