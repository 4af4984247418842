import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createMember, createModel, createUser } from "@plumbline/db/factories";
import { createAlertRow, createMonitorRow } from "@plumbline/db/monitor-factories";
import {
  alertEvents,
  alerts,
  auditLog,
  outboxEvents,
  webhookDeliveries,
  webhooks,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { performAlertAction } from "../src/services/alerts/alert-actions";
import {
  createGovernanceFixture,
  caughtTrpcError as trpcError,
  expectTrpcError,
  type GovernanceFixture,
} from "./governance-fixture";

let database: TestDatabase;
let f: GovernanceFixture;
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
});
afterAll(async () => {
  await database.drop();
});

/** A fresh model with a drift monitor routed to a webhook, and one alert that fired an hour ago. */
async function firedAlert(options: { state?: "pending" | "firing" } = {}) {
  const model = await createModel(f.db, { projectId: f.project.id });
  const [hook] = await f.db
    .insert(webhooks)
    .values({
      projectId: f.project.id,
      url: "https://hooks.example.test/alerts",
      eventTypes: ["alert.firing"],
      secret: "whsec_test",
    })
    .returning();
  const monitor = await createMonitorRow(f.db, {
    projectId: f.project.id,
    modelId: model.id,
    settings: { notify: [{ channelId: hook!.id, severities: ["critical"] }] },
  });
  const alert = await createAlertRow(f.db, {
    monitor,
    firedAt: new Date(Date.now() - HOUR),
    ...(options.state ? { state: options.state } : {}),
  });
  return { model, monitor, alert, hook: hook! };
}

describe("alerts inbox", () => {
  it("lists open alerts that fired, newest first, with filters and cursor paging", async () => {
    const model = await createModel(f.db, { projectId: f.project.id, slug: "inbox-model" });
    const monitor = await createMonitorRow(f.db, { projectId: f.project.id, modelId: model.id });
    const base = new Date("2026-11-01T00:00:00Z").getTime();
    const fired = [];
    for (let index = 0; index < 5; index += 1) {
      fired.push(
        await createAlertRow(f.db, {
          monitor,
          firedAt: new Date(base + index * HOUR),
          feature: `f${index}`,
          severity: index % 2 === 0 ? "critical" : "warning",
        }),
      );
    }
    const pending = await createAlertRow(f.db, {
      monitor,
      firedAt: new Date(base + 10 * HOUR),
      feature: "pending",
      state: "pending",
    });
    const viewer = f.caller(f.viewer);
    const projectSlug = f.project.slug;

    const all = await viewer.alerts.list({ projectSlug, modelSlug: model.slug });
    expect(all.alerts.map((row) => row.id)).toEqual(fired.map((row) => row.id).reverse());
    expect(all.alerts[0]).toMatchObject({
      model: { slug: "inbox-model" },
      monitor: { name: "Feature drift" },
    });

    const critical = await viewer.alerts.list({
      projectSlug,
      modelSlug: model.slug,
      severity: "critical",
    });
    expect(critical.alerts.map((row) => row.feature)).toEqual(["f4", "f2", "f0"]);

    const page1 = await viewer.alerts.list({ projectSlug, modelSlug: model.slug, limit: 2 });
    const page2 = await viewer.alerts.list({
      projectSlug,
      modelSlug: model.slug,
      limit: 2,
      cursor: page1.nextCursor,
    });
    const page3 = await viewer.alerts.list({
      projectSlug,
      modelSlug: model.slug,
      limit: 2,
      cursor: page2.nextCursor,
    });
    expect([...page1.alerts, ...page2.alerts, ...page3.alerts].map((row) => row.feature)).toEqual([
      "f4",
      "f3",
      "f2",
      "f1",
      "f0",
    ]);
    expect(page3.nextCursor).toBeNull();

    const pendingOnly = await viewer.alerts.list({
      projectSlug,
      modelSlug: model.slug,
      states: ["pending"],
    });
    expect(pendingOnly.alerts.map((row) => row.id)).toEqual([pending.id]);

    await f.caller(f.engineer).alerts.assign({
      projectSlug,
      alertId: fired[1]!.id,
      ownerId: f.engineer.id,
    });
    const mine = await viewer.alerts.list({ projectSlug, owner: f.engineer.id });
    expect(mine.alerts.map((row) => row.id)).toEqual([fired[1]!.id]);
    expect(mine.alerts[0]?.ownerName).toBeTruthy();

    await f.caller(f.engineer).alerts.resolve({ projectSlug, alertId: fired[0]!.id });
    const open = await viewer.alerts.list({ projectSlug, modelSlug: model.slug });
    expect(open.alerts.map((row) => row.id)).not.toContain(fired[0]!.id);
    const resolved = await viewer.alerts.list({
      projectSlug,
      modelSlug: model.slug,
      states: ["resolved"],
    });
    expect(resolved.alerts.map((row) => row.id)).toEqual([fired[0]!.id]);
  });

  it("refuses a cursor it did not give", async () => {
    const error = await trpcError(
      f.caller(f.viewer).alerts.list({ projectSlug: f.project.slug, cursor: "yesterday" }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("cursor");
  });

  it("counts open alerts that fired for the navigation badge", async () => {
    const before = await f.caller(f.viewer).alerts.openCount({ projectSlug: f.project.slug });
    await firedAlert();
    await firedAlert({ state: "pending" });
    const after = await f.caller(f.viewer).alerts.openCount({ projectSlug: f.project.slug });
    expect(after).toBe(before + 1);
  });

  it("gives one alert with its timeline, top drifting features and nearby promotions", async () => {
    // A promotion of the fixture's model now; an alert of the same model an hour ago is nearby.
    await f.openRequest("staging");
    const monitor = await createMonitorRow(f.db, {
      projectId: f.project.id,
      modelId: f.model.id,
    });
    const alert = await createAlertRow(f.db, { monitor, firedAt: new Date(Date.now() - HOUR) });
    await f.caller(f.engineer).alerts.comment({
      projectSlug: f.project.slug,
      alertId: alert.id,
      body: "Looking at the income pipeline.",
    });

    const detail = await f.caller(f.viewer).alerts.get({
      projectSlug: f.project.slug,
      alertId: alert.id,
    });
    expect(detail.monitor.id).toBe(monitor.id);
    expect(detail.window).toEqual({ start: alert.windowStart, end: alert.windowEnd });
    expect(detail.topFeatures.map((row) => row.feature)).toEqual(["income", "age"]);
    expect(detail.topFeatures[0]).toMatchObject({ js: 0.31, psi: 0.84, status: "alert" });
    expect(detail.timeline.map((row) => row.kind)).toEqual(["breached", "fired", "commented"]);
    const comment = detail.timeline.at(-1)!;
    expect(comment.body).toBe("Looking at the income pipeline.");
    expect(comment.actorName).toBeTruthy();
    expect(detail.promotions.map((row) => row.action)).toContain("promotion.requested");
    expect(detail.promotions[0]?.environment).toBe("staging");
  });

  it("hides another project's alert", async () => {
    const { alert } = await firedAlert();
    const { createProject } = await import("@plumbline/db/factories");
    const other = await createProject(f.db);
    const stranger = await createMember(f.db, { projectId: other.id, role: "admin" });
    await expectTrpcError(
      f.caller({ id: stranger.id, role: "admin" }).alerts.get({
        projectSlug: other.slug,
        alertId: alert.id,
      }),
      "NOT_FOUND",
    );
  });
});

describe("alert actions", () => {
  it("acknowledges, comments, snoozes and resolves, each on the timeline and in the audit log", async () => {
    const { alert, hook } = await firedAlert();
    const engineer = f.caller(f.engineer);
    const projectSlug = f.project.slug;
    const alertId = alert.id;

    const acknowledged = await engineer.alerts.acknowledge({ projectSlug, alertId });
    expect(acknowledged).toMatchObject({ state: "acknowledged", acknowledgedBy: f.engineer.id });
    await engineer.alerts.comment({ projectSlug, alertId, body: "  Retraining started.  " });
    const until = new Date(Date.now() + 4 * HOUR);
    const snoozed = await engineer.alerts.snooze({ projectSlug, alertId, until });
    expect(snoozed).toMatchObject({ state: "snoozed", snoozedUntil: until });
    const resolved = await engineer.alerts.resolve({ projectSlug, alertId });
    expect(resolved).toMatchObject({
      state: "resolved",
      resolution: "manual",
      resolvedBy: f.engineer.id,
      snoozedUntil: null,
    });

    const events = await f.db
      .select()
      .from(alertEvents)
      .where(eq(alertEvents.alertId, alertId))
      .orderBy(alertEvents.occurredAt);
    expect(events.map((row) => row.kind)).toEqual([
      "breached",
      "fired",
      "acknowledged",
      "commented",
      "snoozed",
      "resolved",
      "notified",
    ]);
    expect(events.find((row) => row.kind === "commented")).toMatchObject({
      body: "Retraining started.",
      actorId: f.engineer.id,
    });
    expect(events.find((row) => row.kind === "snoozed")?.details).toEqual({
      until: until.toISOString(),
    });

    const audit = await f.db
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.resourceType, "alert"), eq(auditLog.resourceId, alertId)))
      .orderBy(auditLog.seq);
    expect(audit).toEqual(
      ["alert.acknowledged", "alert.commented", "alert.snoozed", "alert.resolved"].map(
        (action) => ({ action, actorId: f.engineer.id }),
      ),
    );

    // The manual resolve of an alert that fired tells the monitor's critical route.
    const outbox = await f.db
      .select({ id: outboxEvents.id, eventType: outboxEvents.eventType })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.resourceType, "alert"), eq(outboxEvents.resourceId, alertId)));
    expect(outbox.map((row) => row.eventType)).toEqual(["alert.resolved"]);
    const deliveries = await f.db
      .select({ webhookId: webhookDeliveries.webhookId })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.outboxEventId, outbox[0]!.id));
    expect(deliveries).toEqual([{ webhookId: hook.id }]);
  });

  it("passes the notification to the notifier it is given", async () => {
    const { alert } = await firedAlert();
    const seen: string[] = [];
    await performAlertAction(
      f.ctxOf(f.engineer),
      { alertId: alert.id, action: { type: "false_alarm" } },
      {
        enqueueNotification: (_tx, input) => {
          seen.push(`${input.notification}:${input.alert.resolution}:${input.monitor.id}`);
          return Promise.resolve(null);
        },
      },
    );
    expect(seen).toEqual([`alert.resolved:false_alarm:${alert.monitorId}`]);
  });

  it("turns lifecycle refusals into CONFLICT or BAD_REQUEST with the readable message", async () => {
    const engineer = f.caller(f.engineer);
    const projectSlug = f.project.slug;
    const { alert } = await firedAlert();
    await engineer.alerts.acknowledge({ projectSlug, alertId: alert.id });
    const twice = await trpcError(engineer.alerts.acknowledge({ projectSlug, alertId: alert.id }));
    expect(twice).toMatchObject({
      code: "CONFLICT",
      message: "The alert is already acknowledged.",
    });
    const past = await trpcError(
      engineer.alerts.snooze({ projectSlug, alertId: alert.id, until: new Date(Date.now() - 1) }),
    );
    expect(past).toMatchObject({
      code: "BAD_REQUEST",
      message: "A snooze must end in the future.",
    });
    const empty = await trpcError(
      engineer.alerts.comment({ projectSlug, alertId: alert.id, body: "   " }),
    );
    expect(empty).toMatchObject({ code: "BAD_REQUEST", message: "A comment needs some text." });

    const { alert: pending } = await firedAlert({ state: "pending" });
    const notFired = await trpcError(
      engineer.alerts.acknowledge({ projectSlug, alertId: pending.id }),
    );
    expect(notFired.code).toBe("CONFLICT");
    expect(notFired.message).toContain("has not fired");

    await engineer.alerts.resolve({ projectSlug, alertId: alert.id });
    const resolvedTwice = await trpcError(
      engineer.alerts.resolve({ projectSlug, alertId: alert.id }),
    );
    expect(resolvedTwice).toMatchObject({ code: "CONFLICT", message: "The alert is resolved." });
  });

  it("assigns only to project members, and unassigns", async () => {
    const { alert } = await firedAlert();
    const engineer = f.caller(f.engineer);
    const projectSlug = f.project.slug;
    const outsider = await createUser(f.db);
    const error = await trpcError(
      engineer.alerts.assign({ projectSlug, alertId: alert.id, ownerId: outsider.id }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("member of this project");
    const assigned = await engineer.alerts.assign({
      projectSlug,
      alertId: alert.id,
      ownerId: f.approver.id,
    });
    expect(assigned.ownerId).toBe(f.approver.id);
    const unassigned = await engineer.alerts.assign({
      projectSlug,
      alertId: alert.id,
      ownerId: null,
    });
    expect(unassigned.ownerId).toBeNull();
  });

  it("lets exactly one of two simultaneous acknowledgements through", async () => {
    const { alert } = await firedAlert();
    const projectSlug = f.project.slug;
    const results = await Promise.allSettled([
      f.caller(f.engineer).alerts.acknowledge({ projectSlug, alertId: alert.id }),
      f.caller(f.engineer2).alerts.acknowledge({ projectSlug, alertId: alert.id }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected");
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    const events = await f.db
      .select()
      .from(alertEvents)
      .where(and(eq(alertEvents.alertId, alert.id), eq(alertEvents.kind, "acknowledged")));
    expect(events).toHaveLength(1);
  });

  it("refuses a viewer every action and changes nothing", async () => {
    const { alert } = await firedAlert();
    const viewer = f.caller(f.viewer);
    const ref = { projectSlug: f.project.slug, alertId: alert.id };
    const attempts: [string, () => Promise<unknown>][] = [
      ["acknowledge", () => viewer.alerts.acknowledge(ref)],
      ["snooze", () => viewer.alerts.snooze({ ...ref, until: new Date(Date.now() + HOUR) })],
      ["resolve", () => viewer.alerts.resolve(ref)],
      ["markFalseAlarm", () => viewer.alerts.markFalseAlarm(ref)],
      ["assign", () => viewer.alerts.assign({ ...ref, ownerId: f.viewer.id })],
      ["comment", () => viewer.alerts.comment({ ...ref, body: "mine" })],
    ];
    for (const [name, attempt] of attempts) {
      const error = await trpcError(attempt());
      expect(error.code, name).toBe("FORBIDDEN");
      expect(error.message, name).toContain("alert.acknowledge");
    }
    const [stored] = await f.db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect(stored).toMatchObject({ state: "firing", ownerId: null });
  });
});
