import type { AlertNotification } from "@plumbline/monitors";
import type { Transaction } from "@plumbline/db/client";
import { alertEvents, type Alert, type Monitor } from "@plumbline/db/schema";

import { enqueueEvent } from "../webhooks/enqueue-event";

/**
 * How a person's action that must tell someone (a manual resolve of an alert that fired) reaches
 * the outbox, in the action's transaction. The notification service (notify-alert.ts,
 * `enqueueAlertNotification`) has exactly this shape and replaces the stand-in below once it
 * lands: the actions service only knows this interface.
 */
export type EnqueueAlertNotification = (
  tx: Transaction,
  input: { alert: Alert; monitor: Monitor; notification: AlertNotification; now: Date },
) => Promise<unknown>;

/**
 * The stand-in: one outbox event to the monitor's routes that take the alert's severity, and a
 * `notified` entry on the timeline. The full service adds the channel-specific messages.
 */
export const enqueueAlertNotificationStandIn: EnqueueAlertNotification = async (tx, input) => {
  const { alert, monitor, notification, now } = input;
  const targets = monitor.notify
    .filter((route) => route.severities.includes(alert.severity))
    .map((route) => route.channelId);
  const eventId = await enqueueEvent(tx, {
    projectId: alert.projectId,
    eventType: notification,
    resourceType: "alert",
    resourceId: alert.id,
    payload: {
      alertId: alert.id,
      modelId: alert.modelId,
      monitorId: monitor.id,
      monitor: monitor.name,
      severity: alert.severity,
      state: alert.state,
      resolution: alert.resolution,
      feature: alert.feature,
      windowStart: alert.windowStart.toISOString(),
      windowEnd: alert.windowEnd.toISOString(),
    },
    targetWebhookIds: targets,
  });
  await tx.insert(alertEvents).values({
    alertId: alert.id,
    modelId: alert.modelId,
    kind: "notified",
    details: { notification, outboxEventId: eventId, channels: targets },
    occurredAt: now,
  });
  return eventId;
};
