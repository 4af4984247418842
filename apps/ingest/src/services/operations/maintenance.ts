import type { SqlClient } from "@plumbline/db/client";
import type { FastifyBaseLogger } from "fastify";

import type { IngestMetrics } from "../../metrics/ingest-metrics";
import { sweepPartialHalves } from "../cloudevents/sweep-partial-halves";
import { deleteExpiredIdempotencyKeys } from "../idempotency/idempotency-ledger";
import { joinRacedPendingLabels } from "../labels/join-pending-labels";
import type { ReferenceProfileCache } from "../reference-profiles/reference-profile-cache";

export interface MaintenanceContext {
  sql: SqlClient;
  profiles: ReferenceProfileCache;
  metrics: IngestMetrics;
  log: FastifyBaseLogger;
  /** How long a CloudEvent half waits for its partner (INGEST_CLOUDEVENT_JOIN_WINDOW_MS). */
  joinWindowMs?: number;
}

/** One periodic task; its name labels `plumbline_ingest_maintenance_failures_total`. */
export interface MaintenanceTask {
  name: string;
  run: () => Promise<void>;
}

/**
 * The service's periodic work: unmatched CloudEvent halves become partial records after the
 * join timeout, raced label joins are repaired, expired Idempotency-Keys are forgotten. Every
 * task is safe to run from several instances at once.
 */
export function maintenanceTasks(context: MaintenanceContext): MaintenanceTask[] {
  const { sql, metrics, log } = context;
  return [
    {
      name: "cloudevent_sweep",
      run: async () => {
        const outcome = await sweepPartialHalves(context, new Date(), context.joinWindowMs);
        if (outcome.stored > 0) {
          log.info(
            { partial: outcome.stored },
            "stored unmatched CloudEvent halves as partial records",
          );
        }
        for (const [code, count] of Object.entries(outcome.rejected)) {
          metrics.recordsRejected.inc({ kind: "cloudevent", code }, count);
          log.warn({ code, count }, "swept CloudEvent rows that could not be stored");
        }
        for (const quarantine of outcome.quarantined) {
          metrics.halvesQuarantined.inc({ reason: quarantine.reason }, quarantine.halves);
          log.warn(quarantine, "quarantined CloudEvent halves that cannot be joined");
        }
      },
    },
    { name: "raced_label_join", run: () => joinRacedPendingLabels(sql).then(() => undefined) },
    { name: "idempotency_key_expiry", run: () => deleteExpiredIdempotencyKeys(sql) },
  ];
}

/**
 * Runs every task, each on its own: one that fails (the database may be down; the next run
 * retries, nothing is lost) is counted and logged, and the others still run. Returns the names
 * of the tasks that failed.
 */
export async function runMaintenanceTasks(
  tasks: readonly MaintenanceTask[],
  context: Pick<MaintenanceContext, "metrics" | "log">,
): Promise<string[]> {
  const failed: string[] = [];
  for (const task of tasks) {
    try {
      await task.run();
    } catch (error) {
      failed.push(task.name);
      context.metrics.maintenanceFailures.inc({ task: task.name });
      context.log.warn({ err: error, task: task.name }, "maintenance task failed");
    }
  }
  return failed;
}

/** Runs the tasks every `intervalMs`. Returns a function that stops and waits for a run. */
export function startMaintenance(
  context: MaintenanceContext,
  intervalMs: number,
  tasks: readonly MaintenanceTask[] = maintenanceTasks(context),
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = runMaintenanceTasks(tasks, context)
      .then(() => undefined)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
