import { randomUUID } from "node:crypto";

import type { Database } from "@plumbline/db/client";
import { createMonitorRow } from "@plumbline/db/monitor-factories";
import { alerts, webhooks, type Alert, type Monitor } from "@plumbline/db/schema";
import type { MonitorRoute } from "@plumbline/contracts";

/**
 * Monitor, alert and channel rows for notification tests. They are written directly: the
 * services that create monitors and open alerts are another part of the code (and another set
 * of tests); what is tested here starts from the rows they leave.
 */
export async function insertChannel(
  db: Database,
  projectId: string,
  channel: "webhook" | "slack" | "email" = "webhook",
  url = channel === "email"
    ? "mailto:ops@example.test"
    : `https://hooks.example.test/${randomUUID()}`,
) {
  const [row] = await db
    .insert(webhooks)
    .values({ projectId, channel, url, eventTypes: ["*"], secret: `whsec_${randomUUID()}` })
    .returning();
  return row!;
}

export function insertMonitor(
  db: Database,
  input: { projectId: string; modelId: string; notify?: MonitorRoute[]; name?: string },
): Promise<Monitor> {
  return createMonitorRow(db, {
    projectId: input.projectId,
    modelId: input.modelId,
    settings: { notify: input.notify ?? [], ...(input.name ? { name: input.name } : {}) },
  });
}

export async function insertAlert(
  db: Database,
  monitor: Monitor,
  overrides: Partial<typeof alerts.$inferInsert> = {},
): Promise<Alert> {
  const windowEnd = new Date("2026-12-05T12:00:00Z");
  const [row] = await db
    .insert(alerts)
    .values({
      projectId: monitor.projectId,
      modelId: monitor.modelId,
      monitorId: monitor.id,
      dedupKey: `${monitor.id}/income/${randomUUID()}`,
      version: "3",
      deployment: "stable",
      feature: "income",
      severity: "critical",
      state: "firing",
      value: 0.31,
      details: {
        limit: 0.2,
        topFeatures: [
          { feature: "income", statistic: "js", value: 0.31, pValue: 0.0001 },
          { feature: "age", statistic: "js", value: 0.12 },
        ],
      },
      windowStart: new Date(windowEnd.getTime() - 3_600_000),
      windowEnd,
      firstBreachedAt: windowEnd,
      lastBreachedAt: windowEnd,
      firedAt: windowEnd,
      ...overrides,
    })
    .returning();
  return row!;
}
