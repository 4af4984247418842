import { createWebhook } from "@plumbline/api/services/webhooks/webhooks";
import { enqueueAlertNotification } from "@plumbline/api/services/alerts/notify-alert";
import { createModel } from "@plumbline/db/factories";
import { createMonitorRow } from "@plumbline/db/monitor-factories";
import { alerts, type Webhook } from "@plumbline/db/schema";

import { LOOPBACK_RECEIVERS, type WorkerFixture } from "./fixture";

/**
 * A channel made through the settings service, a monitor routing critical alerts to it, and a
 * firing drift alert notified through `enqueueAlertNotification`, as the evaluation job does.
 * The monitor and alert rows are written directly: creating them is the evaluation's business.
 */
export async function notifyCriticalAlert(
  f: WorkerFixture,
  channel: { channel: Webhook["channel"]; url: string },
) {
  const { webhook, secret } = await createWebhook(
    f.ctx,
    { ...channel, eventTypes: ["alert.firing", "alert.resolved"] },
    { allowedDestinations: LOOPBACK_RECEIVERS },
  );
  const model = await createModel(f.db, { projectId: f.project.id, slug: "credit-risk" });
  const monitor = await createMonitorRow(f.db, {
    projectId: f.project.id,
    modelId: model.id,
    settings: { notify: [{ channelId: webhook.id, severities: ["critical"] }] },
  });
  const windowEnd = new Date("2026-12-05T12:00:00Z");
  const [alert] = await f.db
    .insert(alerts)
    .values({
      projectId: f.project.id,
      modelId: model.id,
      monitorId: monitor.id,
      dedupKey: `${monitor.id}/income`,
      version: "3",
      feature: "income",
      severity: "critical",
      state: "firing",
      value: 0.31,
      details: { limit: 0.2 },
      windowStart: new Date(windowEnd.getTime() - 3_600_000),
      windowEnd,
      firstBreachedAt: windowEnd,
      lastBreachedAt: windowEnd,
      firedAt: windowEnd,
    })
    .returning();
  const eventId = await f.db.transaction((tx) =>
    enqueueAlertNotification(tx, {
      alert: alert!,
      monitor: monitor,
      notification: "alert.firing",
      now: new Date(windowEnd.getTime() + 60_000),
    }),
  );
  if (!eventId) throw new Error("the alert was not routed to the channel");
  return { webhook, secret, model, monitor: monitor, alert: alert!, eventId };
}
