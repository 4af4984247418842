import { asc, eq, inArray } from "drizzle-orm";

import { LIVE_DEPLOYMENT_STATES, type DeploymentState } from "@plumbline/rollouts";
import { SYSTEM_ACTOR } from "@plumbline/governance";
import type { Database } from "@plumbline/db/client";
import { deployments, type Deployment } from "@plumbline/db/schema";

import type { ServiceContext } from "../service-context";
import { withRetryingTransaction } from "../transactions";
import { assessAnalysis, type SideReader } from "./assess-analysis";
import { persistDeploymentEvent } from "./persist-deployment";

/** The job name the audit log shows for the worker's steps. */
export const ROLLOUT_JOB = "advance-deployments";

/** Steps one deployment may take in one pass (aborting -> rolled_back, promoting -> succeeded). */
const MAX_STEPS_PER_PASS = 8;

export interface AdvanceOptions {
  now: Date;
  read?: SideReader;
  /**
   * Called inside the step's transaction after everything is written, before COMMIT: tests
   * throw from it to play a worker that dies mid-step.
   */
  beforeCommit?: (row: Deployment) => Promise<void> | void;
}

export interface AdvanceResult {
  /** False when another worker holds the deployment (or it is gone). */
  claimed: boolean;
  changed: boolean;
  state: DeploymentState | null;
}

/**
 * One step of one deployment, in one transaction: claim the row (`FOR UPDATE SKIP LOCKED`, so
 * a second worker skips a deployment the first is advancing instead of waiting to repeat its
 * step), take the analysis measurements that are due, apply a `tick` and persist it. A worker
 * that dies mid-step leaves nothing: its transaction rolls back, the lock goes with its
 * connection, and the next pass (any worker's) redoes the step from the committed state.
 */
export async function advanceDeployment(
  db: Database,
  deploymentId: string,
  options: AdvanceOptions,
): Promise<AdvanceResult> {
  return withRetryingTransaction(db, async (tx) => {
    const [row] = await tx
      .select()
      .from(deployments)
      .where(eq(deployments.id, deploymentId))
      .for("update", { skipLocked: true });
    if (!row) return { claimed: false, changed: false, state: null };
    if (!(LIVE_DEPLOYMENT_STATES as readonly string[]).includes(row.state)) {
      return { claimed: true, changed: false, state: row.state };
    }
    const analysis =
      row.state === "analyzing" ? await assessAnalysis(tx, row, options.now, options.read) : null;
    const ctx: ServiceContext = {
      db,
      projectId: row.projectId,
      actor: SYSTEM_ACTOR,
      job: ROLLOUT_JOB,
      now: () => options.now,
    };
    const { row: next, transition } = await persistDeploymentEvent(tx, ctx, row, {
      type: "tick",
      now: options.now,
      ...(analysis ? { analysis: analysis.phase } : {}),
      ...(analysis?.message ? { analysisMessage: analysis.message } : {}),
    });
    await options.beforeCommit?.(next);
    return {
      claimed: true,
      changed: transition.changed || (analysis?.taken ?? 0) > 0,
      state: next.state,
    };
  });
}

export interface AdvanceSummary {
  deployments: number;
  steps: number;
  skipped: number;
}

/**
 * The worker's pass: every live deployment, oldest change first, advanced until it has to wait
 * (at most a few steps each). Safe from several workers at once (see {@link advanceDeployment}).
 */
export async function advanceDueDeployments(
  db: Database,
  options: AdvanceOptions & { limit?: number },
): Promise<AdvanceSummary> {
  const live = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(inArray(deployments.state, [...LIVE_DEPLOYMENT_STATES]))
    .orderBy(asc(deployments.updatedAt))
    .limit(options.limit ?? 100);
  const summary: AdvanceSummary = { deployments: live.length, steps: 0, skipped: 0 };
  for (const { id } of live) {
    for (let step = 0; step < MAX_STEPS_PER_PASS; step += 1) {
      const result = await advanceDeployment(db, id, options);
      if (!result.claimed) {
        summary.skipped += 1;
        break;
      }
      if (!result.changed) break;
      summary.steps += 1;
    }
  }
  return summary;
}
