import { and, eq } from "drizzle-orm";

import type { Transaction } from "@plumbline/db/client";
import { alertEvents, alerts, monitors, type Deployment } from "@plumbline/db/schema";

import { enqueueAlertNotification } from "../alerts/notify-alert";

/** The catalog key of the one `canary_vs_stable` monitor per model that rollbacks alert on. */
export const CANARY_MONITOR_KEY = "canary_rollback";

/**
 * The model's canary monitor: created on the first rollback, disabled for the evaluation pass
 * (the rollout judges canaries, not the monitor job), with no channels until a person routes
 * it. Its alerts are ordinary alerts: the inbox, acknowledgement and notifications apply.
 */
async function canaryMonitorOf(tx: Transaction, row: Deployment) {
  const [existing] = await tx
    .select()
    .from(monitors)
    .where(and(eq(monitors.modelId, row.modelId), eq(monitors.catalogKey, CANARY_MONITOR_KEY)));
  if (existing) return existing;
  const [created] = await tx
    .insert(monitors)
    .values({
      projectId: row.projectId,
      modelId: row.modelId,
      name: "Canary rolled back",
      metric: "canary_vs_stable",
      statistic: "analysis",
      threshold: { kind: "static", direction: "above", warning: null, critical: 0 },
      bucketMinutes: 1,
      windowMinutes: 1,
      minSamples: 1,
      breachesToFire: 1,
      healthyToResolve: 1,
      enabled: false,
      catalogKey: CANARY_MONITOR_KEY,
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [raced] = await tx
    .select()
    .from(monitors)
    .where(and(eq(monitors.modelId, row.modelId), eq(monitors.catalogKey, CANARY_MONITOR_KEY)));
  return raced!;
}

/**
 * Fires a critical alert for a rolled back deployment, in the rollback's transaction: one alert
 * per deployment attempt, with its reason, notified to the canary monitor's channels.
 */
export async function fireRollbackAlert(
  tx: Transaction,
  input: {
    row: Deployment;
    candidateVersion: string;
    reason: string;
    message: string | null;
    now: Date;
  },
): Promise<string> {
  const { row, now } = input;
  const monitor = await canaryMonitorOf(tx, row);
  const [alert] = await tx
    .insert(alerts)
    .values({
      projectId: row.projectId,
      modelId: row.modelId,
      monitorId: monitor.id,
      dedupKey: `deployment:${row.id}:${row.attempt}`,
      version: input.candidateVersion,
      deployment: "canary",
      severity: "critical",
      state: "firing",
      value: null,
      details: {
        deploymentId: row.id,
        environmentId: row.environmentId,
        abortReason: input.reason,
        message: input.message,
        weight: 0,
      },
      windowStart: row.stepStartedAt ?? row.startedAt,
      windowEnd: now,
      firstBreachedAt: now,
      lastBreachedAt: now,
      firedAt: now,
    })
    .returning();
  await tx.insert(alertEvents).values([
    {
      alertId: alert!.id,
      modelId: row.modelId,
      kind: "breached",
      body: input.message ?? input.reason,
      details: { deploymentId: row.id },
      occurredAt: now,
    },
    {
      alertId: alert!.id,
      modelId: row.modelId,
      kind: "fired",
      body: "canary rolled back",
      details: { deploymentId: row.id },
      occurredAt: now,
    },
  ]);
  await enqueueAlertNotification(tx, {
    alert: alert!,
    monitor,
    notification: "alert.firing",
    now,
  });
  return alert!.id;
}
