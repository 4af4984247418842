import { and, eq, gt, isNotNull, isNull, lte, ne, or } from "drizzle-orm";

import { appendAudit, type AuditActor } from "@plumbline/db/audit";
import type { Database, Transaction } from "@plumbline/db/client";
import {
  alertEvents,
  alerts,
  monitorEvaluations,
  monitorMutes,
  type Alert,
  type Monitor,
} from "@plumbline/db/schema";
import {
  alertDedupKey,
  applyVerdict,
  type AlertChange,
  type AlertSnapshot,
  type Verdict,
} from "@plumbline/monitors";
import type { AlertEventKind } from "@plumbline/contracts";

import type { AlertSideEffects } from "./alert-side-effects";
import {
  outcomeOf,
  storedReading,
  type EvaluationOutcome,
  type TargetJudgement,
} from "./judge-monitor";
import type { MonitorReadings } from "./read-monitor";
import { snapshotOf } from "../alerts/alert-snapshot";

/** The evaluation worker as the audit log names it. */
export const MONITOR_EVALUATION_ACTOR: AuditActor = { type: "system", id: "monitor-evaluation" };

/** Timeline entries that change an alert's state, and the audit action each one writes. */
const AUDITED_TRANSITIONS: Partial<Record<AlertEventKind, string>> = {
  fired: "alert.fired",
  escalated: "alert.escalated",
  resolved: "alert.resolved",
  snooze_expired: "alert.snooze_expired",
};

export interface PersistedEvaluation {
  /** False when another worker had already evaluated this bucket: nothing was written. */
  claimed: boolean;
  outcome: EvaluationOutcome | null;
  opened: number;
  fired: number;
  resolved: number;
  notifications: number;
}

const sameSnapshot = (a: AlertSnapshot, b: AlertSnapshot) =>
  a.state === b.state &&
  a.severity === b.severity &&
  a.breachStreak === b.breachStreak &&
  a.healthyStreak === b.healthyStreak &&
  a.rebreachCount === b.rebreachCount &&
  a.snoozedUntil?.getTime() === b.snoozedUntil?.getTime();

/** Is a mute window of the monitor in force at `at` (approved, when it needed an approver)? */
async function isMuted(tx: Transaction, monitorId: string, at: Date): Promise<boolean> {
  const [mute] = await tx
    .select({ id: monitorMutes.id })
    .from(monitorMutes)
    .where(
      and(
        eq(monitorMutes.monitorId, monitorId),
        lte(monitorMutes.startsAt, at),
        gt(monitorMutes.endsAt, at),
        isNull(monitorMutes.cancelledAt),
        or(eq(monitorMutes.needsApproval, false), isNotNull(monitorMutes.approvedBy)),
      ),
    )
    .limit(1);
  return mute !== undefined;
}

/** The top drifting features of this evaluation (for the alert's details and timeline). */
function topDriftingFeatures(judgements: readonly TargetJudgement[]): unknown[] {
  return judgements
    .filter((entry) => entry.reading.driftStatus !== undefined && entry.reading.feature !== null)
    .sort((a, b) => (b.reading.value ?? -1) - (a.reading.value ?? -1))
    .slice(0, 5)
    .map((entry) => entry.reading.details ?? { feature: entry.reading.feature });
}

/**
 * Writes one evaluation in ONE transaction: the claim (`monitor_evaluations`, `on conflict do
 * nothing`: a bucket another worker evaluated is skipped whole), the mute check, each target's
 * lifecycle step against its open alert (locked), the timeline, the audit rows of state
 * transitions and the side effects (notifications, the retraining trigger) through the outbox.
 * Anything thrown rolls all of it back, claim included, so the next pass evaluates it again.
 */
export async function persistEvaluation(
  db: Database,
  input: {
    monitor: Monitor;
    read: MonitorReadings;
    judgements: readonly TargetJudgement[];
    now: Date;
    effects: AlertSideEffects;
  },
): Promise<PersistedEvaluation> {
  const { monitor, read, judgements, now, effects } = input;
  const result: PersistedEvaluation = {
    claimed: false,
    outcome: null,
    opened: 0,
    fired: 0,
    resolved: 0,
    notifications: 0,
  };
  return db.transaction(async (tx) => {
    const muted = await isMuted(tx, monitor.id, read.bucketEnd);
    const outcome = outcomeOf(judgements, muted);
    const claimed = await tx
      .insert(monitorEvaluations)
      .values({
        modelId: monitor.modelId,
        monitorId: monitor.id,
        bucketEnd: read.bucketEnd,
        windowStart: read.windowStart,
        outcome,
        readings: judgements.map(storedReading),
        evaluatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ bucketEnd: monitorEvaluations.bucketEnd });
    if (claimed.length === 0) return result;
    result.claimed = true;
    result.outcome = outcome;

    const open = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.monitorId, monitor.id), ne(alerts.state, "resolved")))
      .for("update");
    const openByKey = new Map(open.map((alert) => [alert.dedupKey, alert]));
    const top = monitor.metric === "feature_drift" ? topDriftingFeatures(judgements) : null;

    for (const entry of judgements) {
      const { reading, judgement } = entry;
      const dedupKey = alertDedupKey({
        monitorId: monitor.id,
        modelId: monitor.modelId,
        scope: monitor.scope,
        feature: reading.feature,
      });
      const current = openByKey.get(dedupKey) ?? null;
      // While muted a breach tells nothing: the streaks stay as they are.
      const verdict: Verdict =
        muted && judgement.verdict.kind === "breach" ? { kind: "inconclusive" } : judgement.verdict;
      if (!current && verdict.kind !== "breach") continue;
      const change: AlertChange = applyVerdict(
        current ? snapshotOf(current) : null,
        verdict,
        { breachesToFire: monitor.breachesToFire, healthyToResolve: monitor.healthyToResolve },
        now,
      );
      if (!change.alert) continue;
      if (current && !change.opened && change.events.length === 0) {
        if (sameSnapshot(snapshotOf(current), change.alert)) continue;
      }

      const breached = verdict.kind === "breach";
      const measurement = {
        value: reading.value,
        baseline: reading.baseline ?? null,
        limit: judgement.limit,
        reason: judgement.reason,
        samples: reading.samples,
        threshold: monitor.threshold,
        bucketEnd: read.bucketEnd.toISOString(),
        windowStart: read.windowStart.toISOString(),
        windowEnd: read.windowEnd.toISOString(),
        ...(reading.details ? { reading: reading.details } : {}),
        ...(top ? { topFeatures: top } : {}),
      };
      const next = change.alert;
      const resolvedNow = next.state === "resolved";
      const fields = {
        severity: next.severity,
        state: next.state,
        resolution: next.resolution,
        breachStreak: next.breachStreak,
        healthyStreak: next.healthyStreak,
        rebreachCount: next.rebreachCount,
        firedAt: next.firedAt,
        snoozedUntil: next.snoozedUntil,
        updatedAt: now,
        ...(resolvedNow ? { resolvedAt: now } : {}),
        ...(breached
          ? { value: reading.value, details: measurement, lastBreachedAt: read.bucketEnd }
          : {}),
      };
      let row: Alert;
      if (change.opened) {
        const [inserted] = await tx
          .insert(alerts)
          .values({
            ...fields,
            projectId: monitor.projectId,
            modelId: monitor.modelId,
            monitorId: monitor.id,
            dedupKey,
            version: monitor.scope.version ?? null,
            deployment: monitor.scope.deployment ?? null,
            segment: monitor.scope.segment ?? null,
            feature: reading.feature,
            value: reading.value,
            details: measurement,
            windowStart: read.windowStart,
            windowEnd: read.windowEnd,
            firstBreachedAt: read.bucketEnd,
            lastBreachedAt: read.bucketEnd,
          })
          .returning();
        row = inserted!;
        result.opened += 1;
        await appendAudit(tx, MONITOR_EVALUATION_ACTOR, {
          projectId: monitor.projectId,
          action: "alert.opened",
          resourceType: "alert",
          resourceId: row.id,
          after: { state: row.state, severity: row.severity, dedupKey, monitorId: monitor.id },
        });
      } else {
        const [updated] = await tx
          .update(alerts)
          .set(fields)
          .where(eq(alerts.id, current!.id))
          .returning();
        row = updated!;
      }

      if (change.events.length > 0) {
        await tx.insert(alertEvents).values(
          change.events.map((kind) => ({
            alertId: row.id,
            modelId: monitor.modelId,
            kind,
            details: { ...measurement, severity: next.severity, state: next.state },
          })),
        );
      }
      const before = current ? { state: current.state, severity: current.severity } : null;
      for (const kind of change.events) {
        const action = AUDITED_TRANSITIONS[kind];
        if (!action) continue;
        if (kind === "fired") result.fired += 1;
        if (kind === "resolved") result.resolved += 1;
        await appendAudit(tx, MONITOR_EVALUATION_ACTOR, {
          projectId: monitor.projectId,
          action,
          resourceType: "alert",
          resourceId: row.id,
          before,
          after: {
            state: row.state,
            severity: row.severity,
            resolution: row.resolution,
            value: reading.value,
            bucketEnd: read.bucketEnd.toISOString(),
          },
        });
      }
      if (change.notify) {
        const eventId = await effects.enqueueAlertNotification(tx, {
          alert: row,
          monitor,
          notification: change.notify,
          now,
        });
        if (eventId !== null) result.notifications += 1;
      }
      if (change.events.includes("fired") || change.events.includes("escalated")) {
        await effects.maybeTriggerRetraining(tx, { alert: row, monitor, now });
      }
    }
    return result;
  });
}
