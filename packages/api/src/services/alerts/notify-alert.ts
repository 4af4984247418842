import { and, eq, inArray } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import {
  alertEvents,
  models,
  projects,
  webhooks,
  type Alert,
  type Monitor,
} from "@plumbline/db/schema";
import type { AlertNotification } from "@plumbline/monitors";

import { readApiEnv } from "../../env";
import { enqueueEvent } from "../webhooks/enqueue-event";

/**
 * What a notification says about its alert: everything a receiver (or the Slack and email
 * renderers of the worker) needs without calling back. docs/notifications.md documents it.
 */
export interface AlertNotificationPayload {
  notification: AlertNotification;
  alert: {
    id: string;
    state: Alert["state"];
    severity: Alert["severity"];
    resolution: Alert["resolution"];
    version: string | null;
    deployment: string | null;
    segment: { name: string; value: string } | null;
    feature: string | null;
    /** The last breaching measurement. */
    value: number | null;
    /** The level it crossed, when the evaluation recorded one. */
    threshold: number | null;
    baseline: number | null;
    windowStart: string;
    windowEnd: string;
    /**
     * The end of the last breaching bucket (the evaluation's `details.bucketEnd`, else the
     * window's end): what a receiver measures detection delay from.
     */
    bucketEnd: string;
    firedAt: string | null;
    resolvedAt: string | null;
    rebreachCount: number;
  };
  monitor: { id: string; name: string; metric: string; statistic: string };
  model: { id: string; slug: string; name: string };
  project: { id: string; slug: string };
  /** Where a person opens the alert in the web app. */
  link: string;
  /** One line a person can read: severity, model, monitor, value against threshold. */
  summary: string;
}

export interface AlertNotificationInput {
  /** The alert after the change that notifies. */
  alert: Alert;
  monitor: Monitor;
  notification: AlertNotification;
  now: Date;
}

/** The web app's page of one alert, opened in the alert's project. */
export function alertLink(alertId: string, projectSlug: string, webUrl?: string): string {
  const base = webUrl ?? readApiEnv().PLUMBLINE_WEB_URL;
  return `${base}/alerts/${encodeURIComponent(alertId)}?project=${encodeURIComponent(projectSlug)}`;
}

/** The model's slug and name and its project's slug, for payloads and links. */
export async function loadAlertSubject(tx: DatabaseOrTransaction, modelId: string) {
  const [subject] = await tx
    .select({
      modelId: models.id,
      modelSlug: models.slug,
      modelName: models.name,
      projectId: projects.id,
      projectSlug: projects.slug,
    })
    .from(models)
    .innerJoin(projects, eq(projects.id, models.projectId))
    .where(eq(models.id, modelId));
  if (!subject) throw new Error(`alert notification: model ${modelId} does not exist`);
  return subject;
}

const finiteOrNull = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/**
 * The level an evaluation judged the alert against. The evaluation job stores it in the
 * alert's details as `limit` (the judgement's crossed level) or `threshold`; either is read.
 */
export function thresholdOf(details: Record<string, unknown>): number | null {
  return finiteOrNull(details.limit) ?? finiteOrNull(details.threshold);
}

/** The end of the alert's last breaching bucket, as an ISO instant. */
export function lastBucketEndOf(alert: Alert): string {
  const recorded = alert.details.bucketEnd;
  if (typeof recorded === "string" && !Number.isNaN(Date.parse(recorded))) {
    return new Date(recorded).toISOString();
  }
  return alert.windowEnd.toISOString();
}

export function buildAlertPayload(
  input: Pick<AlertNotificationInput, "alert" | "monitor" | "notification">,
  subject: Awaited<ReturnType<typeof loadAlertSubject>>,
  webUrl?: string,
): AlertNotificationPayload {
  const { alert, monitor, notification } = input;
  const details = alert.details;
  const value = alert.value ?? finiteOrNull(details.value);
  const threshold = thresholdOf(details);
  const payload: Omit<AlertNotificationPayload, "summary"> = {
    notification,
    alert: {
      id: alert.id,
      state: alert.state,
      severity: alert.severity,
      resolution: alert.resolution,
      version: alert.version,
      deployment: alert.deployment,
      segment: alert.segment ?? null,
      feature: alert.feature,
      value,
      threshold,
      baseline: finiteOrNull(details.baseline),
      windowStart: alert.windowStart.toISOString(),
      windowEnd: alert.windowEnd.toISOString(),
      bucketEnd: lastBucketEndOf(alert),
      firedAt: alert.firedAt?.toISOString() ?? null,
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      rebreachCount: alert.rebreachCount,
    },
    monitor: {
      id: monitor.id,
      name: monitor.name,
      metric: monitor.metric,
      statistic: monitor.statistic,
    },
    model: { id: subject.modelId, slug: subject.modelSlug, name: subject.modelName },
    project: { id: subject.projectId, slug: subject.projectSlug },
    link: alertLink(alert.id, subject.projectSlug, webUrl),
  };
  return { ...payload, summary: summarizeAlert(payload) };
}

const VERB: Record<AlertNotification, string> = {
  "alert.firing": "firing",
  "alert.escalated": "escalated to critical",
  "alert.resolved": "resolved",
};

/** `[CRITICAL] credit-risk: Feature drift (income) firing: 0.31 vs threshold 0.2`. */
export function summarizeAlert(payload: Omit<AlertNotificationPayload, "summary">): string {
  const { alert, monitor, model, notification } = payload;
  const target = alert.feature ? ` (${alert.feature})` : "";
  const measured =
    alert.value === null
      ? ""
      : `: ${formatNumber(alert.value)}${alert.threshold === null ? "" : ` vs threshold ${formatNumber(alert.threshold)}`}`;
  return `[${alert.severity.toUpperCase()}] ${model.slug}: ${monitor.name}${target} ${VERB[notification]}${measured}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/**
 * Enqueues one alert notification in the caller's transaction (the one that changed the alert,
 * so the message exists exactly when the change committed): to the monitor's channels whose
 * severities include the alert's, through the durable outbox. Writes a `notified` event on the
 * alert's timeline. Returns the outbox event id, or null when no active channel was routed.
 */
export async function enqueueAlertNotification(
  tx: DatabaseOrTransaction,
  input: AlertNotificationInput,
): Promise<string | null> {
  const { alert, monitor, notification, now } = input;
  const routedIds = [
    ...new Set(
      monitor.notify
        .filter((route) => route.severities.includes(alert.severity))
        .map((route) => route.channelId),
    ),
  ];
  if (routedIds.length === 0) return null;
  // A route may name a channel that was deleted or switched off since: those are skipped here,
  // so that the timeline lists only channels that got a delivery.
  const channels = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      and(
        inArray(webhooks.id, routedIds),
        eq(webhooks.projectId, alert.projectId),
        eq(webhooks.active, true),
      ),
    );
  if (channels.length === 0) return null;
  const channelIds = routedIds.filter((id) => channels.some((channel) => channel.id === id));

  const subject = await loadAlertSubject(tx, alert.modelId);
  const payload = buildAlertPayload(input, subject);
  const outboxEventId = await enqueueEvent(tx, {
    projectId: alert.projectId,
    eventType: notification,
    resourceType: "alert",
    resourceId: alert.id,
    payload: { ...payload },
    targetWebhookIds: channelIds,
  });
  await tx.insert(alertEvents).values({
    alertId: alert.id,
    modelId: alert.modelId,
    kind: "notified",
    body: notification,
    details: { outboxEventId, channelIds, notification },
    occurredAt: now,
  });
  return outboxEventId;
}
