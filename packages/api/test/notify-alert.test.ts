import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { createModel, createProject } from "@plumbline/db/factories";
import { alertEvents, outboxEvents, webhookDeliveries, webhooks } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { enqueueAlertNotification } from "../src/services/alerts/notify-alert";
import { insertAlert, insertChannel, insertMonitor } from "./alert-fixture";

let database: TestDatabase;
const now = new Date("2026-12-05T12:01:30Z");

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function setup() {
  const { db } = database;
  const project = await createProject(db, { slug: `notify-${randomUUID().slice(0, 8)}` });
  const model = await createModel(db, { projectId: project.id });
  const critical = await insertChannel(db, project.id, "slack");
  const everything = await insertChannel(db, project.id, "webhook");
  const monitor = await insertMonitor(db, {
    projectId: project.id,
    modelId: model.id,
    notify: [
      { channelId: critical.id, severities: ["critical"] },
      { channelId: everything.id, severities: ["warning", "critical"] },
    ],
  });
  return { db, project, model, critical, everything, monitor };
}

describe("enqueueAlertNotification", () => {
  it("routes by severity, enqueues one outbox event with a readable payload and records it", async () => {
    vi.stubEnv("PLUMBLINE_WEB_URL", "https://plumbline.example.test/");
    const { db, project, model, critical, everything, monitor } = await setup();
    const alert = await insertAlert(db, monitor);

    const eventId = await db.transaction((tx) =>
      enqueueAlertNotification(tx, { alert, monitor, notification: "alert.firing", now }),
    );
    expect(eventId).not.toBeNull();

    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.id, eventId!));
    expect(event).toMatchObject({
      eventType: "alert.firing",
      resourceType: "alert",
      resourceId: alert.id,
    });
    expect(event!.payload).toMatchObject({
      notification: "alert.firing",
      alert: {
        id: alert.id,
        severity: "critical",
        state: "firing",
        feature: "income",
        version: "3",
        value: 0.31,
        threshold: 0.2,
        windowEnd: "2026-12-05T12:00:00.000Z",
      },
      monitor: { id: monitor.id, name: "Feature drift", metric: "feature_drift" },
      model: { id: model.id, slug: model.slug },
      project: { slug: project.slug },
      link: `https://plumbline.example.test/alerts/${alert.id}?project=${project.slug}`,
    });
    expect(event!.payload.summary).toBe(
      `[CRITICAL] ${model.slug}: Feature drift (income) firing: 0.310 vs threshold 0.200`,
    );

    const deliveries = await db
      .select({ webhookId: webhookDeliveries.webhookId })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.outboxEventId, eventId!));
    expect(deliveries.map((row) => row.webhookId).sort()).toEqual(
      [critical.id, everything.id].sort(),
    );

    const timeline = await db.select().from(alertEvents).where(eq(alertEvents.alertId, alert.id));
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ kind: "notified", occurredAt: now });
    expect(timeline[0]!.details).toEqual({
      outboxEventId: eventId,
      channelIds: [critical.id, everything.id],
      notification: "alert.firing",
    });
  });

  it("sends a warning only to the channels that take warnings", async () => {
    const { db, everything, monitor } = await setup();
    const alert = await insertAlert(db, monitor, { severity: "warning" });
    const eventId = await db.transaction((tx) =>
      enqueueAlertNotification(tx, { alert, monitor, notification: "alert.firing", now }),
    );
    const deliveries = await db
      .select({ webhookId: webhookDeliveries.webhookId })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.outboxEventId, eventId!));
    expect(deliveries.map((row) => row.webhookId)).toEqual([everything.id]);
  });

  it("returns null and writes nothing when no active channel is routed", async () => {
    const { db, project, model, everything } = await setup();
    const unrouted = await insertMonitor(db, { projectId: project.id, modelId: model.id });
    const alert = await insertAlert(db, unrouted);
    expect(
      await db.transaction((tx) =>
        enqueueAlertNotification(tx, {
          alert,
          monitor: unrouted,
          notification: "alert.firing",
          now,
        }),
      ),
    ).toBeNull();

    await db.update(webhooks).set({ active: false }).where(eq(webhooks.id, everything.id));
    const warningOnly = await insertMonitor(db, {
      projectId: project.id,
      modelId: model.id,
      notify: [{ channelId: everything.id, severities: ["warning"] }],
    });
    const warning = await insertAlert(db, warningOnly, { severity: "warning" });
    expect(
      await db.transaction((tx) =>
        enqueueAlertNotification(tx, {
          alert: warning,
          monitor: warningOnly,
          notification: "alert.resolved",
          now,
        }),
      ),
    ).toBeNull();
    const timeline = await db.select().from(alertEvents).where(eq(alertEvents.modelId, model.id));
    expect(timeline).toEqual([]);
  });

  it("leaves nothing behind when the alert's transaction rolls back", async () => {
    const { db, monitor } = await setup();
    const alert = await insertAlert(db, monitor);
    let eventId: string | null = null;
    await expect(
      db.transaction(async (tx) => {
        eventId = await enqueueAlertNotification(tx, {
          alert,
          monitor,
          notification: "alert.resolved",
          now,
        });
        throw new Error("the evaluation failed after notifying");
      }),
    ).rejects.toThrow("the evaluation failed");
    expect(eventId).not.toBeNull();
    expect(await db.select().from(outboxEvents).where(eq(outboxEvents.id, eventId!))).toEqual([]);
  });
});
