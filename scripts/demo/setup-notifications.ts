/**
 * Wires the demo model's drift monitors to the demo's local receiver, through the services a
 * person uses (never raw inserts): the admin adds a signed webhook channel and a Slack-compatible
 * channel in Settings, the engineer sets a retraining policy with its own channel, and retunes
 * the drift monitors to one-minute buckets so that the simulator's drift episode (minutes 2 to
 * 25 of every half hour) fires an alert, notifies, triggers retraining and resolves while you
 * watch. Idempotent: a rerun points the same channels at the receiver's current address.
 */
import { updateMonitor } from "@plumbline/api/services/monitors/manage-monitors";
import { settingsOf } from "@plumbline/api/services/monitors/monitor-settings";
import { and, eq, inArray } from "drizzle-orm";

import { upsertRetrainingPolicy } from "@plumbline/api/services/alerts/retraining";
import type { ServiceContext } from "@plumbline/api/services/service-context";
import { parseAllowedDestinations } from "@plumbline/api/services/webhooks/destination-guard";
import { createWebhook, updateWebhook } from "@plumbline/api/services/webhooks/webhooks";
import type { MonitorRoute } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import { monitors, users, webhooks, type Webhook } from "@plumbline/db/schema";

import { DEMO_USERS } from "./demo-content";
import type { NotificationReceiver, ReceiverPath } from "./notification-receiver";

/** The default-catalog monitors the drift episode should trip. */
export const DEMO_DRIFT_CATALOG_KEYS = ["feature_drift", "dataset_drift", "prediction_drift"];

/**
 * Minute-scale settings for the demo: one-minute buckets over a two-minute window, two breaches
 * to fire and two healthy minutes to resolve (the catalog's hourly buckets would need hours of
 * drift). The simulator sends about 2,400 records a minute, well over `minSamples`.
 */
export const DEMO_MONITOR_TUNING = {
  bucketMinutes: 1,
  windowMinutes: 2,
  minSamples: 300,
  breachesToFire: 2,
  healthyToResolve: 2,
} as const;

/** The demo's worker may post to its own receiver on loopback (docs/webhook-destinations.md). */
export const DEMO_ALLOWED_DESTINATIONS = "127.0.0.1";

const CHANNELS: {
  path: ReceiverPath;
  channel: Webhook["channel"];
  description: string;
  eventTypes: string[];
}[] = [
  {
    path: "webhook",
    channel: "webhook",
    description: "Demo receiver: signed alert webhooks",
    eventTypes: ["alert.firing", "alert.escalated", "alert.resolved"],
  },
  {
    path: "slack",
    channel: "slack",
    description: "Demo receiver: Slack-compatible alert messages",
    eventTypes: ["alert.firing", "alert.escalated", "alert.resolved"],
  },
  {
    path: "retraining",
    channel: "webhook",
    description: "Demo receiver: retraining pipeline",
    eventTypes: ["retraining.requested"],
  },
];

export interface DemoNotificationSetup {
  channelIds: Record<ReceiverPath, string>;
  tunedMonitors: string[];
  missingCatalogKeys: string[];
}

async function memberContext(
  db: Database,
  projectId: string,
  role: "admin" | "ml_engineer",
): Promise<ServiceContext> {
  const email = DEMO_USERS.find((user) => user.role === role)!.email;
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error(`the demo user ${email} is missing: seed the demo first`);
  return { db, projectId, actor: { type: "user", id: user.id, role } };
}

export async function setupDemoNotifications(
  db: Database,
  input: {
    projectId: string;
    modelId: string;
    receiver: NotificationReceiver;
    warn: (line: string) => void;
  },
): Promise<DemoNotificationSetup> {
  const { projectId, modelId, receiver } = input;
  const admin = await memberContext(db, projectId, "admin");
  const engineer = await memberContext(db, projectId, "ml_engineer");
  const allowedDestinations = parseAllowedDestinations(DEMO_ALLOWED_DESTINATIONS);

  const channelIds = {} as Record<ReceiverPath, string>;
  for (const spec of CHANNELS) {
    const url = receiver.urlOf(spec.path);
    const [existing] = await db
      .select({ id: webhooks.id, url: webhooks.url, active: webhooks.active })
      .from(webhooks)
      .where(and(eq(webhooks.projectId, projectId), eq(webhooks.description, spec.description)));
    if (existing) {
      if (existing.url !== url || !existing.active) {
        await updateWebhook(
          admin,
          { webhookId: existing.id, url, active: true },
          { allowedDestinations },
        );
      }
      // The secret is shown once at creation; the demo, which owns this local receiver, reads
      // its own channel's secret back to keep verifying signatures across restarts.
      const [{ secret }] = (await db
        .select({ secret: webhooks.secret })
        .from(webhooks)
        .where(eq(webhooks.id, existing.id))) as [{ secret: string }];
      receiver.setSecret(spec.path, secret);
      channelIds[spec.path] = existing.id;
    } else {
      const { webhook, secret } = await createWebhook(
        admin,
        { channel: spec.channel, url, description: spec.description, eventTypes: spec.eventTypes },
        { allowedDestinations },
      );
      receiver.setSecret(spec.path, secret);
      channelIds[spec.path] = webhook.id;
    }
  }

  const found = await db
    .select()
    .from(monitors)
    .where(
      and(eq(monitors.modelId, modelId), inArray(monitors.catalogKey, DEMO_DRIFT_CATALOG_KEYS)),
    );
  const missingCatalogKeys = DEMO_DRIFT_CATALOG_KEYS.filter(
    (key) => !found.some((monitor) => monitor.catalogKey === key),
  );
  if (missingCatalogKeys.length > 0) {
    input.warn(
      `The demo model has no ${missingCatalogKeys.join(", ")} monitor${missingCatalogKeys.length === 1 ? "" : "s"} (the default catalog is created at registration): the drift episode will not alert on ${missingCatalogKeys.length === 1 ? "it" : "them"}.`,
    );
  }
  const notify: MonitorRoute[] = [
    { channelId: channelIds.webhook, severities: ["warning", "critical"] },
    { channelId: channelIds.slack, severities: ["critical"] },
  ];
  const tunedMonitors: string[] = [];
  for (const monitor of found) {
    await updateMonitor(engineer, {
      monitorId: monitor.id,
      settings: { ...settingsOf(monitor), ...DEMO_MONITOR_TUNING, notify, enabled: true },
    });
    tunedMonitors.push(monitor.id);
  }

  await upsertRetrainingPolicy(engineer, {
    modelId,
    enabled: true,
    // Feature and dataset drift ask for retraining; prediction drift alone only notifies.
    monitorIds: found
      .filter((monitor) => monitor.catalogKey !== "prediction_drift")
      .map((monitor) => monitor.id),
    minSeverity: "critical",
    // Once per drift episode: the simulator's episodes start every 30 minutes.
    cooldownMinutes: 25,
    channelId: channelIds.retraining,
  });

  return { channelIds, tunedMonitors, missingCatalogKeys };
}
