import { and, eq, sql } from "drizzle-orm";

import {
  ALERT_ACTION_REFUSALS,
  applyAlertAction,
  type AlertAction,
  type AlertActionRefusal,
} from "@plumbline/monitors";
import type { Transaction } from "@plumbline/db/client";
import { alertEvents, alerts, monitors, type Alert } from "@plumbline/db/schema";

import { listMembers } from "../members/members";
import { currentTime, userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError, type ServiceErrorCode } from "../service-error";
import { OptimisticLockConflict, withRetryingTransaction } from "../transactions";
import type { AlertSideEffects } from "../monitors/alert-side-effects";
import { snapshotOf } from "./alert-snapshot";
import { enqueueAlertNotification } from "./notify-alert";

/**
 * What people do to an alert: acknowledge, snooze, resolve, mark as a false alarm, assign,
 * comment. The lifecycle core decides (`applyAlertAction`); this file persists its answer: the
 * alert (only if nobody changed it since it was read), its timeline entries, the audit row and,
 * for a manual resolve of an alert that fired, the notification, all in one transaction.
 */

/** Refusals about what the person asked for are bad requests; the rest are about the alert's state. */
const REFUSAL_CODES: Record<AlertActionRefusal, ServiceErrorCode> = {
  alert_resolved: "CONFLICT",
  already_acknowledged: "CONFLICT",
  not_firing: "CONFLICT",
  already_false_alarm: "CONFLICT",
  snooze_in_past: "BAD_REQUEST",
  snooze_too_long: "BAD_REQUEST",
  empty_comment: "BAD_REQUEST",
};

/** The audit action (and timeline wording) of each action. */
const AUDIT_ACTIONS: Record<AlertAction["type"], string> = {
  acknowledge: "alert.acknowledged",
  snooze: "alert.snoozed",
  resolve: "alert.resolved",
  false_alarm: "alert.false_alarm",
  assign: "alert.assigned",
  comment: "alert.commented",
};

export const MAX_COMMENT_LENGTH = 4000;

async function assertProjectMember(tx: Transaction, projectId: string, userId: string) {
  const members = await listMembers(tx, projectId);
  if (!members.some((member) => member.userId === userId)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "owner_not_member",
      "ownerId: only a member of this project can own its alerts.",
    );
  }
}

export interface AlertActionOptions {
  /** Where notifications go; notify-alert.ts's `enqueueAlertNotification` in the app. */
  enqueueNotification?: AlertSideEffects["enqueueAlertNotification"];
}

export async function performAlertAction(
  ctx: ServiceContext,
  input: { alertId: string; action: AlertAction },
  options: AlertActionOptions = {},
): Promise<Alert> {
  const { action } = input;
  if (action.type === "comment" && action.body.length > MAX_COMMENT_LENGTH) {
    throw new ServiceError(
      "BAD_REQUEST",
      "comment_too_long",
      `body: a comment holds at most ${MAX_COMMENT_LENGTH} characters.`,
    );
  }
  const enqueueNotification = options.enqueueNotification ?? enqueueAlertNotification;
  const actorId = userIdOf(ctx.actor);

  return withRetryingTransaction(ctx.db, async (tx) => {
    const now = currentTime(ctx);
    const [loaded] = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.id, input.alertId), eq(alerts.projectId, ctx.projectId)));
    if (!loaded) throw notFound("alert");
    if (action.type === "assign" && action.ownerId) {
      await assertProjectMember(tx, ctx.projectId, action.ownerId);
    }

    const result = applyAlertAction(snapshotOf(loaded), action, now);
    if (!result.ok) {
      throw new ServiceError(
        REFUSAL_CODES[result.refusal],
        result.refusal,
        ALERT_ACTION_REFUSALS[result.refusal],
      );
    }

    let alert = loaded;
    if (action.type !== "comment") {
      const next = result.alert;
      const resolvesNow = next.state === "resolved" && loaded.state !== "resolved";
      const [updated] = await tx
        .update(alerts)
        .set({
          state: next.state,
          severity: next.severity,
          resolution: next.resolution,
          snoozedUntil: next.snoozedUntil,
          ownerId: next.ownerId,
          ...(action.type === "acknowledge"
            ? { acknowledgedAt: now, acknowledgedBy: actorId }
            : {}),
          ...(resolvesNow || action.type === "false_alarm"
            ? { resolvedAt: loaded.resolvedAt ?? now, resolvedBy: loaded.resolvedBy ?? actorId }
            : {}),
          updatedAt: now,
        })
        .where(
          and(
            eq(alerts.id, loaded.id),
            eq(alerts.state, loaded.state),
            // Stored with microseconds, read back with milliseconds: compare at the coarser one.
            sql`date_trunc('milliseconds', ${alerts.updatedAt}) = ${loaded.updatedAt.toISOString()}::timestamptz`,
          ),
        )
        .returning();
      // The worker (or another person) changed the alert since we read it: decide again.
      if (!updated) throw new OptimisticLockConflict("alert changed while acting on it");
      alert = updated;
    }

    const body = action.type === "comment" ? action.body.trim() : "";
    const details: Record<string, unknown> =
      action.type === "snooze"
        ? { until: action.until.toISOString() }
        : action.type === "assign"
          ? { ownerId: action.ownerId, previousOwnerId: loaded.ownerId }
          : {};
    for (const kind of result.events) {
      await tx.insert(alertEvents).values({
        alertId: alert.id,
        modelId: alert.modelId,
        kind,
        actorId,
        body,
        details,
        occurredAt: now,
      });
    }
    await writeAudit(tx, ctx, {
      action: AUDIT_ACTIONS[action.type],
      resourceType: "alert",
      resourceId: alert.id,
      before: { state: loaded.state, ownerId: loaded.ownerId, resolution: loaded.resolution },
      after: {
        state: alert.state,
        ownerId: alert.ownerId,
        resolution: alert.resolution,
        ...details,
      },
      reason: body || null,
    });

    if (result.notify) {
      const [monitor] = await tx.select().from(monitors).where(eq(monitors.id, alert.monitorId));
      if (monitor) {
        await enqueueNotification(tx, { alert, monitor, notification: result.notify, now });
      }
    }
    return alert;
  });
}
