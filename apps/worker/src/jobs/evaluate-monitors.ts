import type { AlertSideEffects } from "@plumbline/api/services/monitors/alert-side-effects";
import {
  evaluateDueMonitors,
  type EvaluationSummary,
} from "@plumbline/api/services/monitors/evaluate-due-monitors";
import type { Database } from "@plumbline/db/client";

import { silentLogger, type Logger } from "../logger";

/**
 * One monitor evaluation pass (docs/monitors.md): every enabled monitor whose bucket has ended
 * is evaluated from the rollups and its alerts move through their lifecycle. Safe from several
 * workers at once: each bucket's evaluation is claimed in the database in the transaction that
 * writes its alerts, so a bucket is evaluated once and a worker killed mid-way leaves nothing.
 */
export async function evaluateMonitors(
  db: Database,
  options: { effects: AlertSideEffects; now?: () => Date; log?: Logger; limit?: number },
): Promise<EvaluationSummary> {
  const log = options.log ?? silentLogger;
  const started = performance.now();
  const summary = await evaluateDueMonitors(db, {
    now: options.now ? options.now() : new Date(),
    effects: options.effects,
    log,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  if (summary.evaluated > 0 || summary.failed > 0 || summary.catalogsCreated > 0) {
    log.info("monitor evaluation pass", {
      ...summary,
      ms: Math.round(performance.now() - started),
    });
  }
  return summary;
}
