import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getRetrainingPolicy } from "@plumbline/api/services/alerts/retraining";
import { monitors, webhooks } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import { signWebhookDelivery } from "@plumbline/governance";

import {
  breachingBucketEnd,
  formatDeliveryLine,
  startNotificationReceiver,
  type NotificationReceiver,
} from "./notification-receiver";
import { seedDemo } from "./seed-demo";
import { DEMO_MONITOR_TUNING, setupDemoNotifications } from "./setup-notifications";

let database: TestDatabase;
let receiver: NotificationReceiver;
const lines: string[] = [];
const receivedAt = new Date("2026-12-05T12:07:42.500Z");

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startNotificationReceiver({
    port: 0,
    log: (line) => lines.push(line),
    now: () => receivedAt,
  });
});
afterAll(async () => {
  await receiver.close();
  await database.drop();
});

async function post(path: string, secret: string, eventType: string, body: unknown) {
  const text = JSON.stringify(body);
  const headers = signWebhookDelivery({
    secret,
    deliveryId: "d-1",
    body: text,
    timestamp: Math.floor(receivedAt.getTime() / 1000),
  });
  const response = await fetch(`${receiver.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Plumbline-Event": eventType, ...headers },
    body: text,
  });
  return response.status;
}

describe("the demo's notifications", () => {
  it("wires channels, a retraining policy and minute-scale drift monitors through the services, idempotently", async () => {
    const { db } = database;
    const seeded = await seedDemo(db);
    // The default catalog (its drift monitors too) comes with the model's registration.
    const warnings: string[] = [];
    const first = await setupDemoNotifications(db, {
      projectId: seeded.project.id,
      modelId: seeded.model.id,
      receiver,
      warn: (line) => warnings.push(line),
    });
    const second = await setupDemoNotifications(db, {
      projectId: seeded.project.id,
      modelId: seeded.model.id,
      receiver,
      warn: (line) => warnings.push(line),
    });
    expect(second.channelIds).toEqual(first.channelIds);
    expect(first.missingCatalogKeys).toEqual([]);
    expect(warnings).toEqual([]);

    const channels = await db
      .select()
      .from(webhooks)
      .where(eq(webhooks.projectId, seeded.project.id));
    expect(channels.map((channel) => [channel.channel, channel.url]).sort()).toEqual(
      [
        ["slack", receiver.urlOf("slack")],
        ["webhook", receiver.urlOf("retraining")],
        ["webhook", receiver.urlOf("webhook")],
      ].sort(),
    );
    const [tuned] = await db
      .select()
      .from(monitors)
      .where(and(eq(monitors.modelId, seeded.model.id), eq(monitors.catalogKey, "feature_drift")));
    expect(tuned).toMatchObject({ ...DEMO_MONITOR_TUNING, enabled: true });
    expect(tuned!.notify.map((route) => route.channelId).sort()).toEqual(
      [first.channelIds.webhook, first.channelIds.slack].sort(),
    );
    const policy = await getRetrainingPolicy(db, seeded.project.id, seeded.model.id);
    expect(policy).toMatchObject({
      enabled: true,
      minSeverity: "critical",
      channelId: first.channelIds.retraining,
    });
    expect(policy!.monitorIds).toContain(tuned!.id);

    // The receiver verifies with the channel's secret, and refuses a forged delivery.
    const [alertsChannel] = channels.filter((channel) => channel.id === first.channelIds.webhook);
    const status = await post("/hooks/alerts", alertsChannel!.secret, "alert.firing", {
      type: "alert.firing",
      data: {
        summary:
          "[CRITICAL] credit-risk: Feature drift (annual_income) firing: 0.412 vs threshold 0",
        alert: { bucketEnd: "2026-12-05T12:07:00.000Z" },
      },
    });
    expect(status).toBe(204);
    expect(await post("/hooks/alerts", "whsec_forged", "alert.firing", {})).toBe(401);
    expect(receiver.deliveries.map((delivery) => delivery.signatureOk)).toEqual([true, false]);
    expect(receiver.deliveries[0]!.delayMs).toBe(42_500);
    expect(lines[0]).toBe(
      "webhook    alert.firing         signature ok | [CRITICAL] credit-risk: Feature drift (annual_income) firing: 0.412 vs threshold 0 | 42.5 s after the breaching bucket ended",
    );
  });

  it("reads a Slack message's window end, and formats a retraining line", () => {
    expect(
      breachingBucketEnd("slack", {
        blocks: [
          { type: "header" },
          {
            type: "section",
            fields: [{ text: "*Window*\n2026-12-05T12:05:00Z to 2026-12-05T12:07:00Z" }],
          },
        ],
      }),
    ).toEqual(new Date("2026-12-05T12:07:00Z"));
    expect(breachingBucketEnd("webhook", { data: {} })).toBeNull();
    expect(
      formatDeliveryLine({
        path: "retraining",
        deliveryId: "d",
        eventType: "retraining.requested",
        signatureOk: true,
        summary: "retrain credit-risk v1",
        delayMs: 9_000,
        receivedAt,
      }),
    ).toBe(
      "retraining retraining.requested signature ok | retrain credit-risk v1 | 9.0 s after the breaching bucket ended",
    );
  });
});
