import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";

import { MonitorSettings, type MonitorRoute } from "@plumbline/contracts";
import type { Database, DatabaseOrTransaction } from "@plumbline/db/client";
import {
  alerts,
  monitorEvaluations,
  monitorMutes,
  monitors,
  webhooks,
  type Monitor,
} from "@plumbline/db/schema";

import { findDashboardModel } from "../dashboard/find-dashboard-model";
import { currentTime, userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import { settingsOf } from "./monitor-settings";

/**
 * People's side of monitors: list a model's monitors with how they last evaluated, read one,
 * create, edit, switch on and off, delete. Every change is audited in its own transaction. The
 * worker evaluates them (services/monitors/evaluate-*), this file never does.
 */

/**
 * Parses settings with the shared schema, turning a zod failure into a BAD_REQUEST that names
 * the field (`threshold.critical: ...`), as a form shows it.
 */
export function parseMonitorSettings(input: unknown): MonitorSettings {
  const parsed = MonitorSettings.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join(".") : "settings"}: ${issue.message}`,
  );
  throw new ServiceError("BAD_REQUEST", "invalid_monitor_settings", problems.join("; "));
}

/** Every notification route must name an active or inactive webhook of the same project. */
async function assertRoutesInProject(
  tx: DatabaseOrTransaction,
  projectId: string,
  routes: readonly MonitorRoute[],
): Promise<void> {
  const ids = [...new Set(routes.map((route) => route.channelId))];
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.projectId, projectId), inArray(webhooks.id, ids)));
  const known = new Set(found.map((row) => row.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new ServiceError(
      "BAD_REQUEST",
      "unknown_notification_channel",
      `notify: no webhook ${missing.join(", ")} in this project; add it under Settings → Webhooks first.`,
    );
  }
}

/** The project's monitor with this id, or NOT_FOUND (another project's monitor is missing). */
export async function loadMonitor(
  db: DatabaseOrTransaction,
  projectId: string,
  monitorId: string,
): Promise<Monitor> {
  const [monitor] = await db
    .select()
    .from(monitors)
    .where(and(eq(monitors.id, monitorId), eq(monitors.projectId, projectId)));
  if (!monitor) throw notFound("monitor");
  return monitor;
}

/** Mutes not cancelled and not over at `now`, oldest first: in force, upcoming or pending. */
function currentMutesQuery(db: DatabaseOrTransaction, monitorIds: string[], now: Date) {
  return db
    .select()
    .from(monitorMutes)
    .where(
      and(
        inArray(monitorMutes.monitorId, monitorIds),
        isNull(monitorMutes.cancelledAt),
        gt(monitorMutes.endsAt, now),
      ),
    )
    .orderBy(asc(monitorMutes.startsAt));
}

/**
 * A model's monitors, each with its latest evaluation, its open alerts (fired or not) and its
 * current mutes, in the order they were created.
 */
export async function listMonitors(
  db: Database,
  projectId: string,
  input: { modelSlug: string },
  now: Date,
) {
  const model = await findDashboardModel(db, projectId, input.modelSlug);
  const rows = await db
    .select()
    .from(monitors)
    .where(eq(monitors.modelId, model.id))
    .orderBy(asc(monitors.createdAt), asc(monitors.name));
  if (rows.length === 0) return { model, monitors: [] };
  const ids = rows.map((row) => row.id);

  const [latest, openAlerts, mutes] = await Promise.all([
    db
      .selectDistinctOn([monitorEvaluations.monitorId], {
        monitorId: monitorEvaluations.monitorId,
        bucketEnd: monitorEvaluations.bucketEnd,
        outcome: monitorEvaluations.outcome,
        evaluatedAt: monitorEvaluations.evaluatedAt,
      })
      .from(monitorEvaluations)
      .where(
        and(eq(monitorEvaluations.modelId, model.id), inArray(monitorEvaluations.monitorId, ids)),
      )
      .orderBy(monitorEvaluations.monitorId, desc(monitorEvaluations.bucketEnd)),
    db
      .select({ monitorId: alerts.monitorId, count: sql<number>`count(*)::int` })
      .from(alerts)
      .where(and(eq(alerts.modelId, model.id), ne(alerts.state, "resolved")))
      .groupBy(alerts.monitorId),
    currentMutesQuery(db, ids, now),
  ]);
  const latestBy = new Map(latest.map((row) => [row.monitorId, row]));
  const openBy = new Map(openAlerts.map((row) => [row.monitorId, row.count]));

  return {
    model,
    monitors: rows.map((row) => ({
      ...row,
      lastEvaluation: latestBy.get(row.id) ?? null,
      openAlerts: openBy.get(row.id) ?? 0,
      mutes: mutes.filter((mute) => mute.monitorId === row.id),
    })),
  };
}

/** One monitor with its current mutes and its last 20 evaluations, newest first. */
export async function getMonitor(
  db: Database,
  projectId: string,
  input: { monitorId: string },
  now: Date,
) {
  const monitor = await loadMonitor(db, projectId, input.monitorId);
  const [mutes, evaluations] = await Promise.all([
    currentMutesQuery(db, [monitor.id], now),
    db
      .select()
      .from(monitorEvaluations)
      .where(
        and(
          eq(monitorEvaluations.modelId, monitor.modelId),
          eq(monitorEvaluations.monitorId, monitor.id),
        ),
      )
      .orderBy(desc(monitorEvaluations.bucketEnd))
      .limit(20),
  ]);
  return { monitor, mutes, evaluations };
}

export async function createMonitor(
  ctx: ServiceContext,
  input: { modelSlug: string; settings: unknown },
): Promise<Monitor> {
  const settings = parseMonitorSettings(input.settings);
  const model = await findDashboardModel(ctx.db, ctx.projectId, input.modelSlug);
  return withRetryingTransaction(ctx.db, async (tx) => {
    await assertRoutesInProject(tx, ctx.projectId, settings.notify);
    const [monitor] = await tx
      .insert(monitors)
      .values({
        ...settings,
        projectId: ctx.projectId,
        modelId: model.id,
        createdBy: userIdOf(ctx.actor),
        createdAt: currentTime(ctx),
        updatedAt: currentTime(ctx),
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: "monitor.created",
      resourceType: "monitor",
      resourceId: monitor!.id,
      after: { modelId: model.id, ...settings },
    });
    return monitor!;
  });
}

/**
 * Replaces a monitor's settings (the whole `MonitorSettings`, as the form sends it). Exported
 * for the demo, which retunes a default monitor the way a person would.
 */
export async function updateMonitor(
  ctx: ServiceContext,
  input: { monitorId: string; settings: unknown },
): Promise<Monitor> {
  const settings = parseMonitorSettings(input.settings);
  return withRetryingTransaction(ctx.db, async (tx) => {
    const before = await loadMonitor(tx, ctx.projectId, input.monitorId);
    await assertRoutesInProject(tx, ctx.projectId, settings.notify);
    const [monitor] = await tx
      .update(monitors)
      .set({ ...settings, updatedAt: currentTime(ctx) })
      .where(eq(monitors.id, before.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: "monitor.updated",
      resourceType: "monitor",
      resourceId: before.id,
      before: settingsOf(before),
      after: settings,
    });
    return monitor!;
  });
}

export async function setMonitorEnabled(
  ctx: ServiceContext,
  input: { monitorId: string; enabled: boolean },
): Promise<Monitor> {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const before = await loadMonitor(tx, ctx.projectId, input.monitorId);
    const [monitor] = await tx
      .update(monitors)
      .set({ enabled: input.enabled, updatedAt: currentTime(ctx) })
      .where(eq(monitors.id, before.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: input.enabled ? "monitor.enabled" : "monitor.disabled",
      resourceType: "monitor",
      resourceId: before.id,
      before: { enabled: before.enabled },
      after: { enabled: input.enabled },
    });
    return monitor!;
  });
}

/** Deletes a monitor; its alerts, evaluations and mutes go with it (foreign-key cascade). */
export async function deleteMonitor(
  ctx: ServiceContext,
  input: { monitorId: string },
): Promise<{ deleted: true }> {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const before = await loadMonitor(tx, ctx.projectId, input.monitorId);
    await tx.delete(monitors).where(eq(monitors.id, before.id));
    await writeAudit(tx, ctx, {
      action: "monitor.deleted",
      resourceType: "monitor",
      resourceId: before.id,
      before: { modelId: before.modelId, ...settingsOf(before) },
    });
    return { deleted: true };
  });
}

/**
 * The project's webhooks as a monitor form offers them for notification routes. Engineers pick
 * channels without seeing the channel settings (webhook management is an approver's): a Slack
 * incoming-webhook URL is a secret, so only a label is shown: the description, else the host or
 * the mail recipients.
 */
export async function listNotificationChannels(db: DatabaseOrTransaction, projectId: string) {
  const rows = await db
    .select({
      id: webhooks.id,
      channel: webhooks.channel,
      url: webhooks.url,
      description: webhooks.description,
      active: webhooks.active,
    })
    .from(webhooks)
    .where(eq(webhooks.projectId, projectId))
    .orderBy(asc(webhooks.createdAt));
  return rows.map(({ url, ...row }) => ({ ...row, label: row.description || labelOf(url) }));
}

function labelOf(url: string): string {
  if (url.startsWith("mailto:")) return url.slice("mailto:".length);
  try {
    return new URL(url).host;
  } catch {
    return "webhook";
  }
}
