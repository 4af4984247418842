/**
 * Retunes one monitor's settings the way the monitors page does: the whole `MonitorSettings`,
 * validated by the shared schema, routes checked against the project's channels, audited in the
 * same transaction. It stands in for the api's monitor-management service (`updateMonitor`)
 * until that service is part of this tree; the demo then calls that instead.
 */
import { and, eq, inArray } from "drizzle-orm";

import { MonitorSettings } from "@plumbline/contracts";
import { writeAudit, type ServiceContext } from "@plumbline/api/services/service-context";
import { withRetryingTransaction } from "@plumbline/api/services/transactions";
import { monitors, webhooks, type Monitor } from "@plumbline/db/schema";

/** The settings columns of a monitor row. */
export function settingsOf(monitor: Monitor): MonitorSettings {
  return {
    name: monitor.name,
    metric: monitor.metric,
    statistic: monitor.statistic,
    feature: monitor.feature,
    threshold: monitor.threshold,
    bucketMinutes: monitor.bucketMinutes,
    windowMinutes: monitor.windowMinutes,
    minSamples: monitor.minSamples,
    breachesToFire: monitor.breachesToFire,
    healthyToResolve: monitor.healthyToResolve,
    scope: monitor.scope,
    notify: monitor.notify,
    enabled: monitor.enabled,
  };
}

export async function updateDemoMonitor(
  ctx: ServiceContext,
  input: { monitorId: string; settings: unknown },
): Promise<Monitor> {
  const parsed = MonitorSettings.safeParse(input.settings);
  if (!parsed.success) {
    throw new Error(
      `monitor settings: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  const settings = parsed.data;
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [before] = await tx
      .select()
      .from(monitors)
      .where(and(eq(monitors.id, input.monitorId), eq(monitors.projectId, ctx.projectId)));
    if (!before) throw new Error(`no monitor ${input.monitorId} in this project`);
    const channelIds = [...new Set(settings.notify.map((route) => route.channelId))];
    if (channelIds.length > 0) {
      const found = await tx
        .select({ id: webhooks.id })
        .from(webhooks)
        .where(and(eq(webhooks.projectId, ctx.projectId), inArray(webhooks.id, channelIds)));
      if (found.length !== channelIds.length) {
        throw new Error("notify: a route names a channel that is not in this project");
      }
    }
    const [monitor] = await tx
      .update(monitors)
      .set({ ...settings, updatedAt: new Date() })
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
