import {
  advanceDueDeployments,
  type AdvanceSummary,
} from "@plumbline/api/services/rollouts/advance-deployments";
import type { Database } from "@plumbline/db/client";

import { silentLogger, type Logger } from "../logger";

/**
 * How often the worker advances canary deployments. Short, so that a weight change or a
 * rollback follows its measurement within seconds: a pass over idle deployments is one indexed
 * query plus one locked read each.
 */
export const ROLLOUT_INTERVAL_MS = 2_000;

/**
 * One pass over the live canary deployments (docs/rollouts.md): due pauses end, due analysis
 * measurements are taken from the rollups, weights change, failed canaries roll back and
 * successful ones promote. Safe from several workers: each step claims its deployment with
 * `FOR UPDATE SKIP LOCKED` in the transaction that writes it, so no step runs twice and a worker
 * killed mid-step leaves the deployment as it was for the next pass.
 */
export async function advanceDeployments(
  db: Database,
  options: { now?: () => Date; log?: Logger } = {},
): Promise<AdvanceSummary> {
  const log = options.log ?? silentLogger;
  const started = performance.now();
  const summary = await advanceDueDeployments(db, {
    now: options.now ? options.now() : new Date(),
  });
  if (summary.steps > 0) {
    log.info("deployment pass", { ...summary, ms: Math.round(performance.now() - started) });
  }
  return summary;
}
