import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createModel } from "@plumbline/db/factories";
import {
  alertEvents,
  auditLog,
  outboxEvents,
  retrainingPolicies,
  webhookDeliveries,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { maybeTriggerRetraining } from "../src/services/alerts/retraining";
import { insertAlert, insertMonitor } from "./alert-fixture";
import {
  createGovernanceFixture,
  expectTrpcError,
  type GovernanceFixture,
} from "./governance-fixture";

let database: TestDatabase;
let f: GovernanceFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
});
afterAll(async () => {
  await database.drop();
});

const t0 = new Date("2026-12-05T12:01:00Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

async function newModel() {
  const model = await createModel(f.db, { projectId: f.project.id, createdBy: f.engineer.id });
  const drift = await insertMonitor(f.db, { projectId: f.project.id, modelId: model.id });
  const latency = await insertMonitor(f.db, {
    projectId: f.project.id,
    modelId: model.id,
    name: "Latency p95",
  });
  return { model, drift, latency };
}

const trigger = (
  alert: Parameters<typeof maybeTriggerRetraining>[1]["alert"],
  monitor: Parameters<typeof maybeTriggerRetraining>[1]["monitor"],
  now: Date,
) => f.db.transaction((tx) => maybeTriggerRetraining(tx, { alert, monitor, now }));

describe("retraining policy over tRPC", () => {
  it("an engineer sets a policy with a new channel; a viewer reads it but cannot change it", async () => {
    const { model, drift } = await newModel();
    const projectSlug = f.project.slug;
    const engineer = f.caller(f.engineer).retraining;

    const empty = await engineer.getPolicy({ projectSlug, modelSlug: model.slug });
    expect(empty.policy).toBeNull();
    expect(empty.monitors.map((monitor) => monitor.name)).toEqual(["Feature drift", "Latency p95"]);

    const saved = await engineer.upsertPolicy({
      projectSlug,
      modelSlug: model.slug,
      enabled: true,
      monitorIds: [drift.id],
      minSeverity: "critical",
      cooldownMinutes: 60,
      newChannel: { channel: "webhook", url: "https://ci.example.test/retrain?token=abc" },
    });
    expect(saved.createdChannelSecret).toMatch(/^whsec_/);
    expect(saved.policy).toMatchObject({
      enabled: true,
      monitorIds: [drift.id],
      minSeverity: "critical",
      cooldownMinutes: 60,
      channel: { channel: "webhook", destination: "ci.example.test", active: true },
    });
    expect(JSON.stringify(saved)).not.toContain("token=abc");

    const read = await f
      .caller(f.viewer)
      .retraining.getPolicy({ projectSlug, modelSlug: model.slug });
    expect(read.policy?.channelId).toBe(saved.policy.channelId);
    expect(read.channels.some((channel) => channel.id === saved.policy.channelId)).toBe(true);

    await expectTrpcError(
      f.caller(f.viewer).retraining.upsertPolicy({
        projectSlug,
        modelSlug: model.slug,
        enabled: false,
        monitorIds: [],
        minSeverity: "warning",
        cooldownMinutes: 0,
      }),
      "FORBIDDEN",
    );

    // Keeping the channel: no channel given, the existing one stays.
    const updated = await engineer.upsertPolicy({
      projectSlug,
      modelSlug: model.slug,
      enabled: true,
      monitorIds: [],
      minSeverity: "warning",
      cooldownMinutes: 30,
    });
    expect(updated.policy.channelId).toBe(saved.policy.channelId);
    expect(updated.createdChannelSecret).toBeNull();

    const audit = await f.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "retraining_policy.updated"), eq(auditLog.resourceId, model.id)),
      );
    expect(audit).toHaveLength(2);
    expect(audit.map((row) => row.actorId)).toEqual([f.engineer.id, f.engineer.id]);
  });

  it("refuses a policy without a channel, with a foreign monitor, or with both kinds of channel", async () => {
    const { model } = await newModel();
    const other = await newModel();
    const base = {
      projectSlug: f.project.slug,
      modelSlug: model.slug,
      enabled: true,
      minSeverity: "critical" as const,
      cooldownMinutes: 60,
    };
    const engineer = f.caller(f.engineer).retraining;
    await expect(engineer.upsertPolicy({ ...base, monitorIds: [] })).rejects.toThrow(
      /needs a channel/,
    );
    await expect(
      engineer.upsertPolicy({
        ...base,
        monitorIds: [other.drift.id],
        newChannel: { channel: "webhook", url: "https://ci.example.test/x" },
      }),
    ).rejects.toThrow(/is not a monitor of this model/);
    await expect(
      engineer.upsertPolicy({
        ...base,
        monitorIds: [],
        newChannel: { channel: "webhook", url: "http://127.0.0.1:8080/retrain" },
      }),
    ).rejects.toThrow(/loopback address/);
    // Nothing half-made: the refused policies created no channel.
    const { policy } = await engineer.getPolicy({
      projectSlug: f.project.slug,
      modelSlug: model.slug,
    });
    expect(policy).toBeNull();
  });
});

describe("maybeTriggerRetraining", () => {
  async function withPolicy(overrides: Partial<typeof retrainingPolicies.$inferInsert> = {}) {
    const setup = await newModel();
    const saved = await f.caller(f.engineer).retraining.upsertPolicy({
      projectSlug: f.project.slug,
      modelSlug: setup.model.slug,
      enabled: true,
      monitorIds: [setup.drift.id],
      minSeverity: "critical",
      cooldownMinutes: 60,
      newChannel: { channel: "webhook", url: "https://ci.example.test/retrain" },
    });
    if (Object.keys(overrides).length > 0) {
      await f.db
        .update(retrainingPolicies)
        .set(overrides)
        .where(eq(retrainingPolicies.modelId, setup.model.id));
    }
    return { ...setup, channelId: saved.policy.channelId };
  }

  it("sends the model, version, window, drifting features and link to the channel, once per cool-down", async () => {
    const { model, drift, channelId } = await withPolicy();
    const alert = await insertAlert(f.db, drift);

    const eventId = await trigger(alert, drift, t0);
    expect(eventId).not.toBeNull();
    const [event] = await f.db.select().from(outboxEvents).where(eq(outboxEvents.id, eventId!));
    expect(event).toMatchObject({
      eventType: "retraining.requested",
      resourceType: "model",
      resourceId: model.id,
    });
    expect(event!.payload).toMatchObject({
      manual: false,
      reason: "Feature drift (income) reached critical: 0.31 vs threshold 0.2",
      model: { id: model.id, slug: model.slug },
      version: "3",
      window: { start: "2026-12-05T11:00:00.000Z", end: "2026-12-05T12:00:00.000Z" },
      driftingFeatures: [
        { feature: "income", statistic: "js", value: 0.31, pValue: 0.0001 },
        { feature: "age", statistic: "js", value: 0.12 },
      ],
      alert: { id: alert.id, severity: "critical", monitor: { id: drift.id } },
      link: `http://localhost:3000/alerts/${alert.id}?project=${f.project.slug}`,
    });
    const deliveries = await f.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.outboxEventId, eventId!));
    expect(deliveries.map((row) => row.webhookId)).toEqual([channelId]);

    const [timeline] = await f.db
      .select()
      .from(alertEvents)
      .where(and(eq(alertEvents.alertId, alert.id), eq(alertEvents.kind, "retraining_triggered")));
    expect(timeline!.details).toEqual({ outboxEventId: eventId, channelId, manual: false });
    const [audit] = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "retraining.triggered"), eq(auditLog.resourceId, model.id)));
    expect(audit).toMatchObject({ actorType: "system", actorId: "monitor-evaluation" });

    // Within the cool-down: nothing; once it has passed: again.
    const again = await insertAlert(f.db, drift);
    expect(await trigger(again, drift, minutes(59))).toBeNull();
    expect(await trigger(again, drift, minutes(60))).not.toBeNull();
  });

  it("does nothing for a lower severity, an uncovered monitor, a disabled policy or no policy", async () => {
    const { drift, latency } = await withPolicy();
    expect(
      await trigger(await insertAlert(f.db, drift, { severity: "warning" }), drift, t0),
    ).toBeNull();
    expect(await trigger(await insertAlert(f.db, latency), latency, t0)).toBeNull();

    const disabled = await withPolicy({ enabled: false });
    expect(await trigger(await insertAlert(f.db, disabled.drift), disabled.drift, t0)).toBeNull();

    const none = await newModel();
    expect(await trigger(await insertAlert(f.db, none.drift), none.drift, t0)).toBeNull();
  });

  it("two workers triggering at once send one request", async () => {
    const { model, drift } = await withPolicy();
    const first = await insertAlert(f.db, drift);
    const second = await insertAlert(f.db, drift);
    const results = await Promise.all([trigger(first, drift, t0), trigger(second, drift, t0)]);
    expect(results.filter((id) => id !== null)).toHaveLength(1);
    const events = await f.db
      .select()
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.eventType, "retraining.requested"),
          eq(outboxEvents.resourceId, model.id),
        ),
      );
    expect(events).toHaveLength(1);
  });
});

describe("triggerFromAlert and deliveries over tRPC", () => {
  it("an engineer sends it by hand, past the cool-down; a viewer cannot; the delivery is listed", async () => {
    const { model, drift } = await newModel();
    const projectSlug = f.project.slug;
    const alert = await insertAlert(f.db, drift, { severity: "warning" });

    await expect(
      f.caller(f.engineer).retraining.triggerFromAlert({ projectSlug, alertId: alert.id }),
    ).rejects.toThrow(/no retraining policy/);

    await f.caller(f.engineer).retraining.upsertPolicy({
      projectSlug,
      modelSlug: model.slug,
      enabled: true,
      monitorIds: [],
      minSeverity: "critical",
      cooldownMinutes: 600,
      newChannel: { channel: "slack", url: "https://hooks.example.test/services/T0/B0/xyz" },
    });
    await f.db
      .update(retrainingPolicies)
      .set({ lastTriggeredAt: new Date() })
      .where(eq(retrainingPolicies.modelId, model.id));

    await expectTrpcError(
      f.caller(f.viewer).retraining.triggerFromAlert({ projectSlug, alertId: alert.id }),
      "FORBIDDEN",
    );

    const sent = await f.caller(f.engineer).retraining.triggerFromAlert({
      projectSlug,
      alertId: alert.id,
    });
    const [timeline] = await f.db
      .select()
      .from(alertEvents)
      .where(and(eq(alertEvents.alertId, alert.id), eq(alertEvents.kind, "retraining_triggered")));
    expect(timeline).toMatchObject({ actorId: f.engineer.id });
    expect(timeline!.details).toMatchObject({ outboxEventId: sent.outboxEventId, manual: true });

    const deliveries = await f.caller(f.viewer).retraining.deliveries({
      projectSlug,
      modelSlug: model.slug,
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      outboxEventId: sent.outboxEventId,
      alertId: alert.id,
      manual: true,
      channel: "slack",
      destination: "hooks.example.test",
      status: "pending",
      attempts: 0,
    });
    expect(JSON.stringify(deliveries)).not.toContain("xyz");

    await expectTrpcError(
      f.caller(f.engineer).retraining.triggerFromAlert({
        projectSlug,
        alertId: "00000000-0000-4000-8000-000000000000",
      }),
      "NOT_FOUND",
    );
  });
});
