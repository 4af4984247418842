import { createHash } from "node:crypto";

import type { MonitorSettings, Severity } from "@plumbline/contracts";

import type { DatabaseOrTransaction } from "./client";
import { alertEvents, alerts, monitorEvaluations, monitors, type Alert } from "./schema";

/**
 * Factories for monitors and alerts, for tests, the end-to-end suite and screenshots. They write
 * rows the way the evaluation worker leaves them (an alert that fired with its timeline), so a
 * test about people's actions does not need a whole evaluation pass first.
 */

/** A per-feature drift monitor on JS distance, firing after 2 breaches, critical-capable. */
export function featureDriftSettings(overrides: Partial<MonitorSettings> = {}): MonitorSettings {
  return {
    name: "Feature drift",
    metric: "feature_drift",
    statistic: "js",
    feature: null,
    threshold: { kind: "statistical", fdr: false, fdrLevel: 0.05 },
    bucketMinutes: 60,
    windowMinutes: 60,
    minSamples: 500,
    breachesToFire: 2,
    healthyToResolve: 2,
    scope: {},
    notify: [],
    enabled: true,
    ...overrides,
  };
}

export async function createMonitorRow(
  db: DatabaseOrTransaction,
  input: {
    projectId: string;
    modelId: string;
    settings?: Partial<MonitorSettings>;
    catalogKey?: string | null;
    createdBy?: string | null;
  },
) {
  const [monitor] = await db
    .insert(monitors)
    .values({
      ...featureDriftSettings(input.settings),
      projectId: input.projectId,
      modelId: input.modelId,
      catalogKey: input.catalogKey ?? null,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return monitor!;
}

/** The drift of one feature as an evaluation records it in `alert.details.features`. */
export interface SeededFeatureDrift {
  feature: string;
  js: number;
  psi: number;
  pValue: number;
  status: "ok" | "warn" | "alert";
}

/**
 * An alert of `monitor` that fired at `firedAt` (pending an hour earlier), with its breached and
 * fired timeline entries. Pass `state: "pending"` for one that has not fired yet.
 */
export async function createAlertRow(
  db: DatabaseOrTransaction,
  input: {
    monitor: { id: string; projectId: string; modelId: string };
    firedAt: Date;
    severity?: Severity;
    state?: "pending" | "firing" | "acknowledged" | "snoozed";
    feature?: string | null;
    value?: number;
    features?: SeededFeatureDrift[];
    details?: Record<string, unknown>;
    ownerId?: string | null;
    rebreachCount?: number;
    bucketMinutes?: number;
  },
): Promise<Alert> {
  const state = input.state ?? "firing";
  const fired = state !== "pending";
  const bucketMs = (input.bucketMinutes ?? 60) * 60 * 1000;
  const firstBreachedAt = new Date(input.firedAt.getTime() - bucketMs);
  const feature = input.feature === undefined ? "income" : input.feature;
  const dedupKey = createHash("sha256")
    .update(
      `${input.monitor.id}|${input.monitor.modelId}|||${feature ?? ""}|${input.firedAt.toISOString()}`,
    )
    .digest("hex")
    .slice(0, 32);
  const [alert] = await db
    .insert(alerts)
    .values({
      projectId: input.monitor.projectId,
      modelId: input.monitor.modelId,
      monitorId: input.monitor.id,
      dedupKey,
      feature,
      severity: input.severity ?? "critical",
      state,
      breachStreak: fired ? 2 : 1,
      rebreachCount: input.rebreachCount ?? 0,
      value: input.value ?? 0.31,
      details: {
        threshold: 0.2,
        features: input.features ?? [
          { feature: feature ?? "income", js: 0.31, psi: 0.84, pValue: 1e-12, status: "alert" },
          { feature: "age", js: 0.12, psi: 0.21, pValue: 0.003, status: "warn" },
        ],
        ...input.details,
      },
      windowStart: new Date(firstBreachedAt.getTime() - bucketMs),
      windowEnd: firstBreachedAt,
      firstBreachedAt,
      lastBreachedAt: input.firedAt,
      firedAt: fired ? input.firedAt : null,
      ownerId: input.ownerId ?? null,
      createdAt: firstBreachedAt,
      updatedAt: input.firedAt,
    })
    .returning();
  await db.insert(alertEvents).values([
    {
      alertId: alert!.id,
      modelId: alert!.modelId,
      kind: "breached",
      occurredAt: firstBreachedAt,
    },
    ...(fired
      ? [
          {
            alertId: alert!.id,
            modelId: alert!.modelId,
            kind: "fired" as const,
            occurredAt: input.firedAt,
          },
        ]
      : []),
  ]);
  return alert!;
}

/** One evaluation row (the claim) with its outcome, as the worker writes it. */
export async function createEvaluationRow(
  db: DatabaseOrTransaction,
  input: {
    monitor: { id: string; modelId: string; windowMinutes?: number };
    bucketEnd: Date;
    outcome: "ok" | "warning" | "critical" | "insufficient" | "muted";
    readings?: Record<string, unknown>[];
  },
) {
  const windowMs = (input.monitor.windowMinutes ?? 60) * 60 * 1000;
  await db.insert(monitorEvaluations).values({
    modelId: input.monitor.modelId,
    monitorId: input.monitor.id,
    bucketEnd: input.bucketEnd,
    windowStart: new Date(input.bucketEnd.getTime() - windowMs),
    outcome: input.outcome,
    readings: input.readings ?? [],
    evaluatedAt: input.bucketEnd,
  });
}
