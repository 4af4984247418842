import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";

import type { Severity } from "@plumbline/contracts";
import type { Actor } from "@plumbline/governance";
import { appendAudit, type AuditActor } from "@plumbline/db/audit";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import {
  alertEvents,
  alerts,
  models,
  monitors,
  outboxEvents,
  retrainingPolicies,
  webhookDeliveries,
  webhooks,
  type Alert,
  type Monitor,
  type RetrainingPolicy,
} from "@plumbline/db/schema";

import { auditActorOf, currentTime, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";
import {
  insertWebhook,
  type WebhookDestinationOptions,
  type WebhookInput,
} from "../webhooks/webhooks";
import { alertLink, lastBucketEndOf, loadAlertSubject, thresholdOf } from "./notify-alert";

/**
 * The retraining trigger (docs/notifications.md): a per-model policy that, when an alert of the
 * chosen monitors reaches the minimum severity, at most once per cool-down, sends a
 * `retraining.requested` event to one channel through the durable outbox. An engineer can also
 * send it by hand from an alert.
 */

/** The evaluation job's audit actor, named in the audit log. */
export const MONITOR_EVALUATION_ACTOR: AuditActor = { type: "system", id: "monitor-evaluation" };

const SEVERITY_RANK: Record<Severity, number> = { warning: 1, critical: 2 };

/** A model's policy with its channel (never the channel's secret), or null when it has none. */
export async function getRetrainingPolicy(
  db: DatabaseOrTransaction,
  projectId: string,
  modelId: string,
) {
  const [row] = await db
    .select({
      policy: retrainingPolicies,
      channel: {
        id: webhooks.id,
        channel: webhooks.channel,
        url: webhooks.url,
        description: webhooks.description,
        active: webhooks.active,
      },
    })
    .from(retrainingPolicies)
    .innerJoin(webhooks, eq(webhooks.id, retrainingPolicies.channelId))
    .where(
      and(eq(retrainingPolicies.modelId, modelId), eq(retrainingPolicies.projectId, projectId)),
    );
  return row ? { ...row.policy, channel: row.channel } : null;
}

export interface RetrainingPolicyInput {
  modelId: string;
  enabled: boolean;
  /** The monitors whose alerts trigger it; empty: every monitor of the model. */
  monitorIds: string[];
  minSeverity: Severity;
  cooldownMinutes: number;
  /** An existing channel (webhook row) of the project... */
  channelId?: string;
  /** ...or a new one, created with the policy and subscribed to `retraining.requested`. */
  newChannel?: Omit<WebhookInput, "eventTypes">;
}

/**
 * Creates or replaces a model's policy, audited. Without `channelId` or `newChannel`, an existing
 * policy keeps its channel; a new one needs one. Returns the policy, and the new channel's
 * signing secret (shown this once) when one was created.
 */
export async function upsertRetrainingPolicy(
  ctx: ServiceContext,
  input: RetrainingPolicyInput,
  options: WebhookDestinationOptions = {},
) {
  if (input.channelId && input.newChannel) {
    throw new ServiceError(
      "BAD_REQUEST",
      "retraining_channel_ambiguous",
      "channel: give either an existing channel or a new channel's URL, not both",
    );
  }
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [model] = await tx
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.id, input.modelId), eq(models.projectId, ctx.projectId)));
    if (!model) throw notFound("model");
    const before = await getRetrainingPolicy(tx, ctx.projectId, input.modelId);

    if (input.monitorIds.length > 0) {
      const found = await tx
        .select({ id: monitors.id })
        .from(monitors)
        .where(and(inArray(monitors.id, input.monitorIds), eq(monitors.modelId, input.modelId)));
      const missing = input.monitorIds.filter((id) => !found.some((row) => row.id === id));
      if (missing.length > 0) {
        throw new ServiceError(
          "BAD_REQUEST",
          "retraining_monitor_unknown",
          `monitorIds: ${missing.join(", ")} ${missing.length === 1 ? "is not a monitor" : "are not monitors"} of this model`,
        );
      }
    }

    let channelId = input.channelId ?? before?.channelId ?? null;
    let created: Awaited<ReturnType<typeof insertWebhook>> | null = null;
    if (input.newChannel) {
      created = await insertWebhook(
        tx,
        ctx,
        {
          ...input.newChannel,
          description: input.newChannel.description ?? "Retraining trigger",
          eventTypes: ["retraining.requested"],
        },
        options,
      );
      channelId = created.webhook.id;
    } else if (input.channelId) {
      const [channel] = await tx
        .select({ id: webhooks.id })
        .from(webhooks)
        .where(and(eq(webhooks.id, input.channelId), eq(webhooks.projectId, ctx.projectId)));
      if (!channel) {
        throw new ServiceError(
          "BAD_REQUEST",
          "retraining_channel_unknown",
          "channelId: no such channel in this project",
        );
      }
    }
    if (!channelId) {
      throw new ServiceError(
        "BAD_REQUEST",
        "retraining_channel_missing",
        "channel: a retraining policy needs a channel: choose a webhook or give a URL",
      );
    }

    const values = {
      enabled: input.enabled,
      monitorIds: [...new Set(input.monitorIds)],
      minSeverity: input.minSeverity,
      cooldownMinutes: input.cooldownMinutes,
      channelId,
      updatedBy: ctx.actor.type === "user" ? ctx.actor.id : null,
      updatedAt: currentTime(ctx),
    };
    await tx
      .insert(retrainingPolicies)
      .values({ modelId: input.modelId, projectId: ctx.projectId, ...values })
      .onConflictDoUpdate({ target: retrainingPolicies.modelId, set: values });
    const after = await getRetrainingPolicy(tx, ctx.projectId, input.modelId);
    await appendAudit(tx, auditActorOf(ctx.actor, ctx.job), {
      projectId: ctx.projectId,
      action: "retraining_policy.updated",
      resourceType: "model",
      resourceId: input.modelId,
      before: before && policyAuditView(before),
      after: after && policyAuditView(after),
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
    });
    return { policy: after!, createdChannel: created };
  });
}

function policyAuditView(policy: RetrainingPolicy) {
  return {
    enabled: policy.enabled,
    monitorIds: policy.monitorIds,
    minSeverity: policy.minSeverity,
    cooldownMinutes: policy.cooldownMinutes,
    channelId: policy.channelId,
  };
}

/** One drifting feature and whatever statistics the evaluation recorded for it. */
export type DriftingFeature = { feature: string } & Record<
  string,
  string | number | boolean | null
>;

/**
 * The drifting features of an alert: the evaluation's `details.topFeatures` when it stored them
 * (each an object naming `feature` or `name`, with its statistics), else the alert's own feature
 * and measurement. Unknown shapes are skipped rather than failing the trigger.
 */
export function driftingFeaturesOf(alert: Alert, monitor: Monitor): DriftingFeature[] {
  const top = alert.details.topFeatures;
  if (Array.isArray(top)) {
    const features: DriftingFeature[] = [];
    for (const entry of top.slice(0, 50)) {
      if (typeof entry !== "object" || entry === null) continue;
      const record = entry as Record<string, unknown>;
      const name = typeof record.feature === "string" ? record.feature : record.name;
      if (typeof name !== "string" || name === "") continue;
      const statistics: Record<string, string | number | boolean | null> = {};
      for (const [key, value] of Object.entries(record)) {
        if (key === "feature" || key === "name") continue;
        if (
          value === null ||
          typeof value === "string" ||
          typeof value === "boolean" ||
          (typeof value === "number" && Number.isFinite(value))
        ) {
          statistics[key] = value;
        }
      }
      features.push({ ...statistics, feature: name });
    }
    if (features.length > 0) return features;
  }
  if (!alert.feature) return [];
  return [
    {
      feature: alert.feature,
      statistic: monitor.statistic,
      value: alert.value,
      threshold: thresholdOf(alert.details),
    },
  ];
}

/**
 * The version to retrain from: the alert's scope, else the version its drift readings compared
 * (the evaluation records it per feature), else null (every version the monitor watched).
 */
function versionOf(alert: Alert, features: DriftingFeature[]): string | null {
  if (alert.version) return alert.version;
  const reading = alert.details.reading as Record<string, unknown> | undefined;
  if (typeof reading?.version === "string") return reading.version;
  const versions = new Set(
    features.map((feature) => feature.version).filter((v) => typeof v === "string"),
  );
  return versions.size === 1 ? ([...versions][0] as string) : null;
}

interface TriggerInput {
  alert: Alert;
  monitor: Monitor;
  policy: RetrainingPolicy;
  manual: boolean;
  actor: AuditActor;
  requestedBy: string | null;
  now: Date;
}

/** Enqueues the request and records it on the alert's timeline and in the audit log. */
async function sendRetrainingRequest(tx: DatabaseOrTransaction, input: TriggerInput) {
  const { alert, monitor, policy, manual, now } = input;
  const subject = await loadAlertSubject(tx, alert.modelId);
  const target = alert.feature ? ` (${alert.feature})` : "";
  const measured =
    alert.value === null
      ? ""
      : `: ${alert.value}${thresholdOf(alert.details) === null ? "" : ` vs threshold ${thresholdOf(alert.details)}`}`;
  const features = driftingFeaturesOf(alert, monitor);
  const reason = manual
    ? `Requested by hand from the ${alert.severity} alert of ${monitor.name}${target}`
    : `${monitor.name}${target} reached ${alert.severity}${measured}`;
  const payload = {
    reason,
    manual,
    requestedBy: input.requestedBy,
    model: { id: subject.modelId, slug: subject.modelSlug, name: subject.modelName },
    project: { id: subject.projectId, slug: subject.projectSlug },
    version: versionOf(alert, features),
    deployment: alert.deployment,
    segment: alert.segment ?? null,
    window: { start: alert.windowStart.toISOString(), end: alert.windowEnd.toISOString() },
    bucketEnd: lastBucketEndOf(alert),
    driftingFeatures: features,
    alert: {
      id: alert.id,
      severity: alert.severity,
      state: alert.state,
      feature: alert.feature,
      value: alert.value,
      threshold: thresholdOf(alert.details),
      monitor: { id: monitor.id, name: monitor.name, metric: monitor.metric },
    },
    link: alertLink(alert.id, subject.projectSlug),
  };
  const outboxEventId = await enqueueEvent(tx, {
    projectId: alert.projectId,
    eventType: "retraining.requested",
    resourceType: "model",
    resourceId: alert.modelId,
    payload,
    targetWebhookIds: [policy.channelId],
  });
  await tx.insert(alertEvents).values({
    alertId: alert.id,
    modelId: alert.modelId,
    kind: "retraining_triggered",
    actorId: input.requestedBy,
    body: reason,
    details: { outboxEventId, channelId: policy.channelId, manual },
    occurredAt: now,
  });
  await appendAudit(tx, input.actor, {
    projectId: alert.projectId,
    action: "retraining.triggered",
    resourceType: "model",
    resourceId: alert.modelId,
    after: { alertId: alert.id, outboxEventId, channelId: policy.channelId, manual, reason },
  });
  return outboxEventId;
}

/**
 * Called by the evaluation job for an alert that fired or escalated, in its transaction. Sends
 * a retraining request when the model's policy is enabled, covers the monitor, the alert is at
 * least the policy's severity, and the cool-down since the last request has passed. The
 * cool-down is claimed by a conditional UPDATE of `last_triggered_at`, so two workers evaluating
 * at once cannot both send. Returns the outbox event id, or null when nothing was sent.
 */
export async function maybeTriggerRetraining(
  tx: DatabaseOrTransaction,
  input: { alert: Alert; monitor: Monitor; now: Date },
): Promise<string | null> {
  const { alert, monitor, now } = input;
  const [policy] = await tx
    .select()
    .from(retrainingPolicies)
    .where(eq(retrainingPolicies.modelId, alert.modelId));
  if (!policy?.enabled) return null;
  if (policy.monitorIds.length > 0 && !policy.monitorIds.includes(monitor.id)) return null;
  if (SEVERITY_RANK[alert.severity] < SEVERITY_RANK[policy.minSeverity]) return null;
  const [claimed] = await tx
    .update(retrainingPolicies)
    .set({ lastTriggeredAt: now })
    .where(
      and(
        eq(retrainingPolicies.modelId, alert.modelId),
        eq(retrainingPolicies.enabled, true),
        or(
          isNull(retrainingPolicies.lastTriggeredAt),
          lte(
            retrainingPolicies.lastTriggeredAt,
            sql`${now.toISOString()}::timestamptz - make_interval(mins => ${retrainingPolicies.cooldownMinutes})`,
          ),
        ),
      ),
    )
    .returning();
  if (!claimed) return null;
  return sendRetrainingRequest(tx, {
    alert,
    monitor,
    policy: claimed,
    manual: false,
    actor: MONITOR_EVALUATION_ACTOR,
    requestedBy: null,
    now,
  });
}

/**
 * An engineer sends the request from an alert: no severity or cool-down gate (a person decided),
 * but the model needs a policy with an active channel. It restarts the cool-down, so that the
 * automatic trigger does not repeat the request moments later.
 */
export async function triggerRetrainingByHand(
  tx: DatabaseOrTransaction,
  input: { alertId: string; actor: Actor; projectId: string; now?: Date },
): Promise<{ outboxEventId: string; channelId: string }> {
  const now = input.now ?? new Date();
  const [row] = await tx
    .select({ alert: alerts, monitor: monitors })
    .from(alerts)
    .innerJoin(monitors, eq(monitors.id, alerts.monitorId))
    .where(and(eq(alerts.id, input.alertId), eq(alerts.projectId, input.projectId)));
  if (!row) throw notFound("alert");
  const policy = await getRetrainingPolicy(tx, input.projectId, row.alert.modelId);
  if (!policy) {
    throw new ServiceError(
      "PRECONDITION_FAILED",
      "retraining_policy_missing",
      "This model has no retraining policy: set one, with the channel to send to, on the model's monitors page.",
    );
  }
  if (!policy.channel.active) {
    throw new ServiceError(
      "PRECONDITION_FAILED",
      "retraining_channel_inactive",
      "The retraining policy's channel is switched off: switch it on in Settings → Webhooks, or choose another.",
    );
  }
  const [claimed] = await tx
    .update(retrainingPolicies)
    .set({ lastTriggeredAt: now })
    .where(eq(retrainingPolicies.modelId, row.alert.modelId))
    .returning();
  const outboxEventId = await sendRetrainingRequest(tx, {
    alert: row.alert,
    monitor: row.monitor,
    policy: claimed!,
    manual: true,
    actor: auditActorOf(input.actor),
    requestedBy: input.actor.type === "user" ? input.actor.id : null,
    now,
  });
  return { outboxEventId, channelId: policy.channelId };
}

/** The retraining requests of a model, newest first, with each channel's delivery status. */
export async function listRetrainingDeliveries(
  db: DatabaseOrTransaction,
  projectId: string,
  input: { modelId: string; limit?: number },
) {
  const rows = await db
    .select({
      outboxEventId: outboxEvents.id,
      requestedAt: outboxEvents.createdAt,
      payload: outboxEvents.payload,
      deliveryId: webhookDeliveries.id,
      webhookId: webhooks.id,
      channel: webhooks.channel,
      url: webhooks.url,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseCode: webhookDeliveries.responseCode,
      lastError: webhookDeliveries.lastError,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
    })
    .from(outboxEvents)
    .leftJoin(webhookDeliveries, eq(webhookDeliveries.outboxEventId, outboxEvents.id))
    .leftJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      and(
        eq(outboxEvents.projectId, projectId),
        eq(outboxEvents.eventType, "retraining.requested"),
        eq(outboxEvents.resourceType, "model"),
        eq(outboxEvents.resourceId, input.modelId),
      ),
    )
    .orderBy(desc(outboxEvents.createdAt))
    .limit(input.limit ?? 50);
  return rows.map(({ payload, ...row }) => {
    const alert = (payload.alert ?? {}) as { id?: unknown };
    return {
      ...row,
      alertId: typeof alert.id === "string" ? alert.id : null,
      manual: payload.manual === true,
      reason: typeof payload.reason === "string" ? payload.reason : "",
    };
  });
}
