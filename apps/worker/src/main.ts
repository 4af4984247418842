import { enqueueAlertNotification } from "@plumbline/api/services/alerts/notify-alert";
import { maybeTriggerRetraining } from "@plumbline/api/services/alerts/retraining";
import type { AlertSideEffects } from "@plumbline/api/services/monitors/alert-side-effects";
import { auditKey } from "@plumbline/db/audit";
import { createDatabase } from "@plumbline/db/client";

import { readWorkerEnv } from "./env";
import { advanceDeployments, ROLLOUT_INTERVAL_MS } from "./jobs/advance-deployments";
import { applyPredictionRetention } from "./jobs/apply-retention";
import { deliverDueWebhooks } from "./jobs/deliver-webhooks";
import { evaluateMonitors } from "./jobs/evaluate-monitors";
import { expirePromotions } from "./jobs/expire-promotions";
import { purgeSessions } from "./jobs/purge-sessions";
import { createLogger } from "./logger";
import { startScheduler } from "./scheduler";

const env = readWorkerEnv();
// Audit rows are keyed: without PLUMBLINE_AUDIT_KEY in production, stop here, naming it.
auditKey();
const log = createLogger(env.LOG_LEVEL);
/**
 * After SIGTERM, running jobs get this long: a webhook batch in flight needs at most the HTTP
 * timeout plus the time to record it. With the default 10 s timeout that is 25 s, inside
 * Kubernetes' default 30 s grace period.
 */
const SHUTDOWN_TIMEOUT_MS = env.WORKER_WEBHOOK_TIMEOUT_MS + 15_000;

const { db, sql } = createDatabase(env.DATABASE_URL, {
  applicationName: "plumbline-worker",
  // A run against an unreachable database fails fast and is retried at the next interval.
  connectTimeoutSeconds: 5,
});

/** What alert changes set off: notifications to the monitor's channels, and retraining. */
const alertSideEffects: AlertSideEffects = { enqueueAlertNotification, maybeTriggerRetraining };

const scheduler = startScheduler(
  [
    {
      name: "deliver-webhooks",
      intervalMs: env.WORKER_WEBHOOK_INTERVAL_MS,
      run: async (signal) => {
        const summary = await deliverDueWebhooks(sql, {
          batchSize: env.WORKER_WEBHOOK_BATCH_SIZE,
          timeoutMs: env.WORKER_WEBHOOK_TIMEOUT_MS,
          destinations: { allowed: env.PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS },
          smtp: env.PLUMBLINE_SMTP,
          log,
          signal,
        });
        if (summary.claimed > 0 || summary.cancelled > 0) {
          log.info("webhook dispatch run", { ...summary });
        }
      },
    },
    {
      name: "evaluate-monitors",
      intervalMs: env.WORKER_MONITOR_INTERVAL_MS,
      run: async () => {
        await evaluateMonitors(db, { effects: alertSideEffects, log });
      },
    },
    {
      name: "advance-deployments",
      intervalMs: ROLLOUT_INTERVAL_MS,
      run: () => advanceDeployments(db, { log }).then(() => undefined),
    },
    {
      name: "expire-promotions",
      intervalMs: env.WORKER_PROMOTION_EXPIRY_INTERVAL_MS,
      run: async () => {
        await expirePromotions(db, { log });
      },
    },
    {
      name: "apply-retention",
      intervalMs: env.WORKER_RETENTION_INTERVAL_MS,
      run: async () => {
        await applyPredictionRetention(sql, {
          defaultRetentionDays: env.PLUMBLINE_PREDICTION_RETENTION_DAYS,
          log,
        });
      },
    },
    {
      name: "purge-sessions",
      intervalMs: env.WORKER_SESSION_PURGE_INTERVAL_MS,
      run: async () => {
        await purgeSessions(db, { log });
      },
    },
  ],
  log,
);
log.info("worker started", {
  webhookIntervalMs: env.WORKER_WEBHOOK_INTERVAL_MS,
  promotionExpiryIntervalMs: env.WORKER_PROMOTION_EXPIRY_INTERVAL_MS,
  sessionPurgeIntervalMs: env.WORKER_SESSION_PURGE_INTERVAL_MS,
  retentionIntervalMs: env.WORKER_RETENTION_INTERVAL_MS,
  monitorIntervalMs: env.WORKER_MONITOR_INTERVAL_MS,
  predictionRetentionDays: env.PLUMBLINE_PREDICTION_RETENTION_DAYS,
});

let shuttingDown = false;
async function shutDown(signal: NodeJS.Signals) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info("shutting down: no new runs, finishing the running ones", { signal });
  const deadline = setTimeout(() => {
    // Claimed deliveries are not lost: their lease runs out and another worker sends them.
    log.error("running jobs did not finish in time; exiting");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  try {
    await scheduler.stop();
    await sql.end({ timeout: 5 });
    log.info("worker stopped");
    process.exit(0);
  } catch (error) {
    log.error("error while shutting down", { err: error });
    process.exit(1);
  }
}

process.once("SIGTERM", (signal) => void shutDown(signal));
process.once("SIGINT", (signal) => void shutDown(signal));
