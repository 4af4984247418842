import { and, eq, ne, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { models, monitors } from "@plumbline/db/schema";
import { dueBucketEnds } from "@plumbline/monitors";

import type { AlertSideEffects } from "./alert-side-effects";
import { createMissingDefaultMonitors } from "./create-default-monitors";
import { judgeMonitorReadings } from "./judge-monitor";
import type { MonitorModel } from "./monitor-target";
import { MONITOR_EVALUATION_ACTOR, persistEvaluation } from "./persist-evaluation";
import { readMonitor, type MonitorReadings } from "./read-monitor";
import { ReadingCache } from "./reading-cache";
import { settingsOf } from "./monitor-settings";

/** A worker back from downtime evaluates at most this many missed buckets per monitor. */
export const MAX_CATCH_UP_BUCKETS = 2;

interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface EvaluationSummary {
  monitors: number;
  /** Bucket evaluations this pass wrote (claimed). */
  evaluated: number;
  /** Bucket evaluations another worker had claimed first. */
  skipped: number;
  failed: number;
  opened: number;
  fired: number;
  resolved: number;
  notifications: number;
  /** Models that received their default catalog in this pass. */
  catalogsCreated: number;
  outcomes: Record<string, number>;
}

/**
 * One evaluation pass: gives catalog-less models their default monitors, then evaluates every
 * enabled monitor whose bucket has ended since its last evaluation (at most
 * MAX_CATCH_UP_BUCKETS of them, oldest first). Readings come from the rollups OUTSIDE any
 * transaction, shared between the monitors of a model through one cache; each bucket's
 * evaluation is then written in one transaction that starts with its claim, so several workers
 * can run this at once and each bucket is evaluated once. One monitor that fails is logged and
 * counted, and the pass goes on.
 */
export async function evaluateDueMonitors(
  db: Database,
  options: { now: Date; effects: AlertSideEffects; log?: Logger; limit?: number },
): Promise<EvaluationSummary> {
  const { now, effects, log } = options;
  const summary: EvaluationSummary = {
    monitors: 0,
    evaluated: 0,
    skipped: 0,
    failed: 0,
    opened: 0,
    fired: 0,
    resolved: 0,
    notifications: 0,
    catalogsCreated: 0,
    outcomes: {},
  };

  summary.catalogsCreated = (
    await createMissingDefaultMonitors(db, MONITOR_EVALUATION_ACTOR)
  ).length;

  const rows = await db
    .select({
      monitor: monitors,
      task: models.task,
      lastEvaluated: sql<string | null>`(
        select max(e.bucket_end) from monitor_evaluations e
        where e.model_id = ${monitors.modelId} and e.monitor_id = ${monitors.id})`,
    })
    .from(monitors)
    .innerJoin(models, eq(models.id, monitors.modelId))
    // canary_vs_stable is evaluated by the rollout, not here (the canary issue).
    .where(and(eq(monitors.enabled, true), ne(monitors.metric, "canary_vs_stable")))
    .orderBy(monitors.modelId, monitors.createdAt)
    .limit(options.limit ?? 100_000);
  summary.monitors = rows.length;

  const cache = new ReadingCache();
  const due = rows
    .map((row) => ({
      ...row,
      ends: dueBucketEnds({
        now,
        bucketMinutes: row.monitor.bucketMinutes,
        lastEvaluated: row.lastEvaluated ? new Date(row.lastEvaluated) : null,
        maxCatchUp: MAX_CATCH_UP_BUCKETS,
      }),
    }))
    .filter((row) => row.ends.length > 0);

  // Reads run concurrently (the cache shares them); writes follow, one transaction each.
  const reads = await Promise.all(
    due.map(async (row) => {
      const model: MonitorModel = {
        id: row.monitor.modelId,
        projectId: row.monitor.projectId,
        task: row.task,
      };
      try {
        const read = await readMonitor({ db, cache }, model, settingsOf(row.monitor), row.ends);
        return { monitor: row.monitor, read, error: null };
      } catch (error) {
        return { monitor: row.monitor, read: [] as MonitorReadings[], error };
      }
    }),
  );

  for (const { monitor, read, error } of reads) {
    if (error) {
      summary.failed += 1;
      log?.error("could not read a monitor; the others went on", {
        monitorId: monitor.id,
        err: error,
      });
      continue;
    }
    for (const bucket of read) {
      try {
        const judgements = judgeMonitorReadings(monitor, bucket);
        const persisted = await persistEvaluation(db, {
          monitor,
          read: bucket,
          judgements,
          now,
          effects,
        });
        if (!persisted.claimed) {
          summary.skipped += 1;
          continue;
        }
        summary.evaluated += 1;
        summary.opened += persisted.opened;
        summary.fired += persisted.fired;
        summary.resolved += persisted.resolved;
        summary.notifications += persisted.notifications;
        const outcome = persisted.outcome ?? "insufficient";
        summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
      } catch (caught) {
        summary.failed += 1;
        log?.error("could not evaluate a monitor's bucket; it is retried next pass", {
          monitorId: monitor.id,
          bucketEnd: bucket.bucketEnd.toISOString(),
          err: caught,
        });
        // A later bucket of this monitor must not be evaluated before this one.
        break;
      }
    }
  }
  return summary;
}
