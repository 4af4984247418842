import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { AlertSideEffects } from "@plumbline/api/services/monitors/alert-side-effects";
import { evaluateDueMonitors } from "@plumbline/api/services/monitors/evaluate-due-monitors";
import { settingsOf } from "@plumbline/api/services/monitors/monitor-settings";
import { judgeMonitorReadings } from "@plumbline/api/services/monitors/judge-monitor";
import { persistEvaluation } from "@plumbline/api/services/monitors/persist-evaluation";
import { readMonitor } from "@plumbline/api/services/monitors/read-monitor";
import { ReadingCache } from "@plumbline/api/services/monitors/reading-cache";
import { registerModel } from "@plumbline/api/services/registry/models";
import {
  buildReferenceProfiles,
  storeReferenceBaseline,
  toReferenceRows,
} from "@plumbline/db/baselines";
import { createDatabase } from "@plumbline/db/client";
import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
} from "@plumbline/db/factories";
import {
  alertEvents,
  alerts,
  auditLog,
  featureBinRollupsMinute,
  monitorEvaluations,
  monitorMutes,
  monitors,
  predictionRollupsMinute,
  type Monitor,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { evaluateMonitors } from "../src/jobs/evaluate-monitors";

/**
 * Seeded rollups with a known drift. Each model's reference is 1,000 rows: `amount` = 0.5 ...
 * 999.5 (ten decile bins of about 100) and `plan` cycling free / pro / team. Traffic on
 * 2026-03-01 from 06:00 to 14:00 UTC: each minute 100 records, `amount` spread evenly over the
 * ten bins, except from 10:00 to 12:00 when every value lands in the upper five bins.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = Date.parse("2026-03-01T00:00:00Z");
const at = (hours: number, seconds = 30) => new Date(DAY + hours * HOUR + seconds * 1000);
const CALM_AMOUNT = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
const SHIFTED_AMOUNT = [0, 0, 0, 0, 0, 20, 20, 20, 20, 20];
const PLAN = [33, 33, 34, 0];

type MonitorSettings = ReturnType<typeof settingsOf>;

let database: TestDatabase;
let projectId = "";
let adminId = "";

/** Records what the evaluation asked of the notification and retraining services. */
function recordingEffects(options: { failOnNotify?: boolean } = {}) {
  const notifications: {
    alertId: string;
    monitorId: string;
    notification: string;
    severity: string;
  }[] = [];
  const retraining: { alertId: string; monitorId: string; severity: string }[] = [];
  const effects: AlertSideEffects = {
    enqueueAlertNotification: (_tx, { alert, monitor, notification }) => {
      if (options.failOnNotify) throw new Error("the outbox is unavailable");
      notifications.push({
        alertId: alert.id,
        monitorId: monitor.id,
        notification,
        severity: alert.severity,
      });
      return Promise.resolve(`event-${notifications.length}`);
    },
    maybeTriggerRetraining: (_tx, { alert, monitor }) => {
      retraining.push({ alertId: alert.id, monitorId: monitor.id, severity: alert.severity });
      return Promise.resolve(null);
    },
  };
  return { effects, notifications, retraining };
}

async function seedModel(slug: string) {
  const { db } = database;
  const model = await createModel(db, {
    projectId,
    slug,
    featureSchema: { amount: { type: "numeric" }, plan: { type: "categorical" } },
  });
  await createModelVersion(db, { modelId: model.id, version: "1" });
  const profiles = buildReferenceProfiles(
    toReferenceRows(
      Array.from({ length: 1000 }, (_, i) => ({
        amount: i + 0.5,
        plan: ["free", "pro", "team"][i % 3]!,
      })),
    ),
    model.featureSchema,
  );
  await db.transaction((tx) =>
    storeReferenceBaseline(tx, {
      modelId: model.id,
      version: "1",
      rows: 1000,
      profiles,
      source: "api",
    }),
  );
  const bins: (typeof featureBinRollupsMinute.$inferInsert)[] = [];
  const predictions: (typeof predictionRollupsMinute.$inferInsert)[] = [];
  for (let minute = DAY + 6 * HOUR; minute < DAY + 14 * HOUR; minute += MINUTE) {
    const shifted = minute >= DAY + 10 * HOUR && minute < DAY + 12 * HOUR;
    const common = {
      modelId: model.id,
      minute: new Date(minute),
      version: "1",
      deployment: "stable",
    };
    bins.push(
      {
        ...common,
        target: "feature",
        name: "amount",
        profileRevision: 1,
        counts: shifted ? SHIFTED_AMOUNT : CALM_AMOUNT,
      },
      { ...common, target: "feature", name: "plan", profileRevision: 1, counts: PLAN },
    );
    predictions.push({ ...common, count: 100 });
  }
  await db.insert(featureBinRollupsMinute).values(bins);
  await db.insert(predictionRollupsMinute).values(predictions);
  return model;
}

const DRIFT: MonitorSettings = {
  name: "Feature drift",
  metric: "feature_drift",
  statistic: "js",
  feature: null,
  threshold: { kind: "statistical", fdr: false, fdrLevel: 0.05 },
  bucketMinutes: 60,
  windowMinutes: 60,
  minSamples: 500,
  breachesToFire: 1,
  healthyToResolve: 1,
  scope: {},
  notify: [],
  enabled: true,
};

async function addMonitor(
  modelId: string,
  settings: Partial<MonitorSettings> = {},
): Promise<Monitor> {
  const [monitor] = await database.db
    .insert(monitors)
    .values({ projectId, modelId, ...DRIFT, ...settings })
    .returning();
  return monitor!;
}

const alertsOf = (monitorId: string) =>
  database.db
    .select()
    .from(alerts)
    .where(eq(alerts.monitorId, monitorId))
    .orderBy(asc(alerts.createdAt));

const evaluationsOf = (monitorId: string) =>
  database.db
    .select()
    .from(monitorEvaluations)
    .where(eq(monitorEvaluations.monitorId, monitorId))
    .orderBy(asc(monitorEvaluations.bucketEnd));

const eventsOf = async (alertId: string) =>
  (
    await database.db
      .select()
      .from(alertEvents)
      .where(eq(alertEvents.alertId, alertId))
      .orderBy(asc(alertEvents.occurredAt))
  ).map((event) => event.kind);

const auditActionsOf = async (alertIds: string[]) =>
  (
    await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceType, "alert"), inArray(auditLog.resourceId, alertIds)))
      .orderBy(asc(auditLog.chainSeq))
  ).map((row) => ({ action: row.action, actorType: row.actorType, actorId: row.actorId }));

beforeAll(async () => {
  database = await createTestDatabase();
  const project = await createProject(database.db);
  projectId = project.id;
  adminId = (await createMember(database.db, { projectId, role: "admin" })).id;
});

// Each test watches its own model; later tests' passes must not move earlier tests' monitors.
afterEach(async () => {
  await database.db.update(monitors).set({ enabled: false });
});

afterAll(async () => {
  await database.drop();
});

describe("evaluateDueMonitors", () => {
  it("fires a critical alert for the drifted feature, once, and resolves it when drift ends", async () => {
    const model = await seedModel("credit-risk");
    const monitor = await addMonitor(model.id);
    const { effects, notifications, retraining } = recordingEffects();

    // 10:00: the two calm hours before (the pass catches up at most two buckets).
    const calm = await evaluateDueMonitors(database.db, { now: at(10), effects });
    expect(calm).toMatchObject({ evaluated: 2, failed: 0, opened: 0 });
    expect(
      (await evaluationsOf(monitor.id)).map((e) => [e.bucketEnd.toISOString(), e.outcome]),
    ).toEqual([
      ["2026-03-01T09:00:00.000Z", "ok"],
      ["2026-03-01T10:00:00.000Z", "ok"],
    ]);

    // 11:00: the hour 10:00-11:00 drifted.
    const drifted = await evaluateDueMonitors(database.db, { now: at(11), effects });
    expect(drifted).toMatchObject({ evaluated: 1, opened: 1, fired: 1, notifications: 1 });
    const [alert] = await alertsOf(monitor.id);
    expect(alert).toMatchObject({
      state: "firing",
      severity: "critical",
      feature: "amount",
      dedupKey: `${monitor.id}/${model.id}/*/*/*/amount`,
      windowStart: new Date(DAY + 10 * HOUR),
      windowEnd: new Date(DAY + 11 * HOUR),
      firedAt: at(11),
    });
    const details = alert!.details as {
      topFeatures: { feature: string; jsDistance: number; psi: number; pValue: number }[];
    };
    expect(details.topFeatures[0]).toMatchObject({ feature: "amount", status: "alert" });
    expect(details.topFeatures[0]!.jsDistance).toBeGreaterThan(0.3);
    expect(details.topFeatures[0]!.pValue).toBeLessThan(1e-6);
    expect(await eventsOf(alert!.id)).toEqual(["breached", "fired"]);
    expect(notifications).toEqual([
      {
        alertId: alert!.id,
        monitorId: monitor.id,
        notification: "alert.firing",
        severity: "critical",
      },
    ]);
    expect(retraining).toEqual([
      { alertId: alert!.id, monitorId: monitor.id, severity: "critical" },
    ]);
    const [evaluation] = (await evaluationsOf(monitor.id)).slice(-1);
    expect(evaluation!.outcome).toBe("critical");
    expect(evaluation!.readings.map((reading) => [reading.feature, reading.verdict])).toEqual([
      ["amount", "breach"],
      ["plan", "healthy"],
    ]);

    // 12:00: still drifted: the same alert, no second notification.
    await evaluateDueMonitors(database.db, { now: at(12), effects });
    const [same, ...others] = await alertsOf(monitor.id);
    expect(others).toEqual([]);
    expect(same).toMatchObject({ id: alert!.id, state: "firing", breachStreak: 2 });
    expect(notifications).toHaveLength(1);

    // 13:00: the calm hour 12:00-13:00 resolves it (M = 1) and says so.
    const healthy = await evaluateDueMonitors(database.db, { now: at(13), effects });
    expect(healthy.resolved).toBe(1);
    const [resolved] = await alertsOf(monitor.id);
    expect(resolved).toMatchObject({
      state: "resolved",
      resolution: "healthy",
      resolvedAt: at(13),
    });
    expect(await eventsOf(alert!.id)).toEqual(["breached", "fired", "resolved"]);
    expect(notifications.map((n) => n.notification)).toEqual(["alert.firing", "alert.resolved"]);
    expect(await auditActionsOf([alert!.id])).toEqual(
      ["alert.opened", "alert.fired", "alert.resolved"].map((action) => ({
        action,
        actorType: "system",
        actorId: "monitor-evaluation",
      })),
    );
  });

  it("waits for N consecutive breaches before firing and M healthy evaluations before resolving", async () => {
    const model = await seedModel("n-and-m");
    const monitor = await addMonitor(model.id, { breachesToFire: 2, healthyToResolve: 2 });
    const { effects, notifications } = recordingEffects();

    await evaluateDueMonitors(database.db, { now: at(11), effects });
    expect(await alertsOf(monitor.id)).toMatchObject([
      { state: "pending", breachStreak: 1, firedAt: null },
    ]);
    expect(notifications).toEqual([]);

    await evaluateDueMonitors(database.db, { now: at(12), effects });
    expect(await alertsOf(monitor.id)).toMatchObject([
      { state: "firing", breachStreak: 2, firedAt: at(12) },
    ]);
    expect(notifications.map((n) => n.notification)).toEqual(["alert.firing"]);

    await evaluateDueMonitors(database.db, { now: at(13), effects });
    expect(await alertsOf(monitor.id)).toMatchObject([{ state: "firing", healthyStreak: 1 }]);

    await evaluateDueMonitors(database.db, { now: at(14), effects });
    const [alert] = await alertsOf(monitor.id);
    expect(alert).toMatchObject({ state: "resolved", resolution: "healthy", healthyStreak: 2 });
    expect(await eventsOf(alert!.id)).toEqual([
      "breached",
      "breached",
      "fired",
      "healthy",
      "resolved",
    ]);
    expect(notifications.map((n) => n.notification)).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("two workers evaluating at once write one evaluation and one alert", async () => {
    const model = await seedModel("two-workers");
    const monitor = await addMonitor(model.id);
    const second = createDatabase(database.url, { max: 5, applicationName: "plumbline-test-2" });
    try {
      const first = recordingEffects();
      const other = recordingEffects();
      const [a, b] = await Promise.all([
        evaluateDueMonitors(database.db, { now: at(11), effects: first.effects }),
        evaluateDueMonitors(second.db, { now: at(11), effects: other.effects }),
      ]);
      // However the two interleave, the two due buckets are evaluated once between them.
      expect(a.evaluated + b.evaluated).toBe(2);
      const evaluations = await evaluationsOf(monitor.id);
      expect(evaluations.map((e) => e.bucketEnd.toISOString())).toEqual([
        "2026-03-01T10:00:00.000Z",
        "2026-03-01T11:00:00.000Z",
      ]);
      expect(await alertsOf(monitor.id)).toMatchObject([{ state: "firing", feature: "amount" }]);
      expect(first.notifications.length + other.notifications.length).toBe(1);
    } finally {
      await second.sql.end();
    }
  });

  it("a mute window in force turns breaches into `muted`; an unapproved one does not", async () => {
    const model = await seedModel("muted");
    const muted = await addMonitor(model.id);
    const awaitingApproval = await addMonitor(model.id, { name: "Drift (mute not approved)" });
    const mute = {
      modelId: model.id,
      startsAt: new Date(DAY + 10.5 * HOUR),
      endsAt: new Date(DAY + 11.5 * HOUR),
      reason: "planned migration",
      requestedBy: adminId,
    };
    await database.db.insert(monitorMutes).values([
      { ...mute, monitorId: muted.id },
      { ...mute, monitorId: awaitingApproval.id, needsApproval: true },
    ]);
    const { effects, notifications } = recordingEffects();
    await evaluateDueMonitors(database.db, { now: at(11), effects });

    expect((await evaluationsOf(muted.id)).map((e) => e.outcome)).toEqual(["ok", "muted"]);
    expect(await alertsOf(muted.id)).toEqual([]);
    expect(await alertsOf(awaitingApproval.id)).toMatchObject([{ state: "firing" }]);
    expect(notifications.map((n) => n.monitorId)).toEqual([awaitingApproval.id]);

    // Once the mute has ended, the breach counts again.
    await evaluateDueMonitors(database.db, { now: at(12), effects });
    expect(await alertsOf(muted.id)).toMatchObject([{ state: "firing" }]);
  });

  it("a transaction that fails mid-way leaves no evaluation and no alert; the next pass does it", async () => {
    const model = await seedModel("aborted");
    const monitor = await addMonitor(model.id);
    const failing = recordingEffects({ failOnNotify: true });
    const summary = await evaluateDueMonitors(database.db, {
      now: at(11),
      effects: failing.effects,
    });
    expect(summary.failed).toBe(1);
    expect((await evaluationsOf(monitor.id)).map((e) => e.bucketEnd.toISOString())).toEqual([
      "2026-03-01T10:00:00.000Z",
    ]);
    expect(await alertsOf(monitor.id)).toEqual([]);
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.resourceType, "alert"));
    const alertIds = new Set(
      (await database.db.select({ id: alerts.id }).from(alerts)).map((a) => a.id),
    );
    expect(audits.every((row) => alertIds.has(row.resourceId!))).toBe(true);

    const working = recordingEffects();
    await evaluateDueMonitors(database.db, { now: at(11, 45), effects: working.effects });
    expect(await alertsOf(monitor.id)).toMatchObject([{ state: "firing", severity: "critical" }]);
    expect(working.notifications).toHaveLength(1);
  });

  it("of two writers that read the same bucket, exactly one claims it", async () => {
    const model = await seedModel("same-bucket");
    const monitor = await addMonitor(model.id);
    const [read] = await readMonitor(
      { db: database.db, cache: new ReadingCache() },
      { id: model.id, projectId, task: model.task },
      settingsOf(monitor),
      [new Date(DAY + 11 * HOUR)],
    );
    const judgements = judgeMonitorReadings(monitor, read!);
    const second = createDatabase(database.url, { max: 2, applicationName: "plumbline-test-3" });
    try {
      const { effects, notifications } = recordingEffects();
      const results = await Promise.all(
        [database.db, second.db].map((db) =>
          persistEvaluation(db, { monitor, read: read!, judgements, now: at(11), effects }),
        ),
      );
      expect(results.map((r) => r.claimed).sort()).toEqual([false, true]);
      expect(await evaluationsOf(monitor.id)).toHaveLength(1);
      expect(await alertsOf(monitor.id)).toHaveLength(1);
      expect(notifications).toHaveLength(1);
    } finally {
      await second.sql.end();
    }
  });
});

describe("the default catalog", () => {
  it("is created at registration, and by the pass for models that have no monitor", async () => {
    const registered = await registerModel(
      { db: database.db, projectId, actor: { type: "user", id: adminId, role: "admin" } },
      { slug: "registered", name: "Registered", task: "regression" },
    );
    const catalog = await database.db
      .select()
      .from(monitors)
      .where(eq(monitors.modelId, registered.id));
    expect(catalog.map((m) => m.catalogKey).sort()).toContain("realized_performance");
    expect(catalog).toHaveLength(14);

    const older = await seedModel("older");
    const { effects } = recordingEffects();
    const summary = await evaluateMonitors(database.db, { effects, now: () => at(11) });
    expect(summary.catalogsCreated).toBe(1);
    expect(summary.failed).toBe(0);
    const created = await database.db.select().from(monitors).where(eq(monitors.modelId, older.id));
    expect(created).toHaveLength(15);
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "monitor.catalog_created"), eq(auditLog.resourceId, older.id)),
      );
    expect(audit).toHaveLength(1);

    // Over the seeded drift, the catalog's dataset drift monitor fires at once (half of the
    // features at alert), feature drift waits for its second breach.
    const fired = await database.db
      .select({
        catalogKey: monitors.catalogKey,
        state: alerts.state,
        severity: alerts.severity,
        feature: alerts.feature,
      })
      .from(alerts)
      .innerJoin(monitors, eq(monitors.id, alerts.monitorId))
      .where(eq(alerts.modelId, older.id));
    expect(fired).toEqual(
      expect.arrayContaining([
        { catalogKey: "dataset_drift", state: "firing", severity: "warning", feature: null },
        { catalogKey: "feature_drift", state: "pending", severity: "critical", feature: "amount" },
      ]),
    );
    // A second sweep creates nothing twice.
    const again = await evaluateMonitors(database.db, { effects, now: () => at(11, 50) });
    expect(again.catalogsCreated).toBe(0);
  });
});
