import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createProject } from "@plumbline/db/factories";
import {
  createAlertRow,
  createEvaluationRow,
  createMonitorRow,
  featureDriftSettings,
} from "@plumbline/db/monitor-factories";
import { auditLog, monitorMutes, monitors, webhooks } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

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

async function webhookOf(projectId: string) {
  const [row] = await f.db
    .insert(webhooks)
    .values({
      projectId,
      url: "https://hooks.example.test/alerts",
      eventTypes: ["alert.firing"],
      secret: "whsec_test",
    })
    .returning();
  return row!;
}

async function auditActions(resourceId: string) {
  const rows = await f.db
    .select({ action: auditLog.action, actorId: auditLog.actorId })
    .from(auditLog)
    .where(and(eq(auditLog.resourceType, "monitor"), eq(auditLog.resourceId, resourceId)))
    .orderBy(auditLog.seq);
  return rows;
}

describe("monitors router", () => {
  it("lets an engineer create, edit, disable and delete a monitor, each audited", async () => {
    const engineer = f.caller(f.engineer);
    const projectSlug = f.project.slug;
    const hook = await webhookOf(f.project.id);
    const created = await engineer.monitors.create({
      projectSlug,
      modelSlug: f.model.slug,
      settings: featureDriftSettings({
        name: "Income drift",
        feature: "income",
        notify: [{ channelId: hook.id, severities: ["critical"] }],
      }),
    });
    expect(created).toMatchObject({ name: "Income drift", modelId: f.model.id, enabled: true });

    const updated = await engineer.monitors.update({
      projectSlug,
      monitorId: created.id,
      settings: featureDriftSettings({
        name: "Income drift (hourly)",
        feature: "income",
        threshold: { kind: "static", direction: "above", warning: 0.1, critical: 0.2 },
      }),
    });
    expect(updated.threshold).toEqual({
      kind: "static",
      direction: "above",
      warning: 0.1,
      critical: 0.2,
    });

    const disabled = await engineer.monitors.setEnabled({
      projectSlug,
      monitorId: created.id,
      enabled: false,
    });
    expect(disabled.enabled).toBe(false);
    await engineer.monitors.delete({ projectSlug, monitorId: created.id });
    expect(await f.db.select().from(monitors).where(eq(monitors.id, created.id))).toEqual([]);

    const audit = await auditActions(created.id);
    expect(audit.map((row) => row.action)).toEqual([
      "monitor.created",
      "monitor.updated",
      "monitor.disabled",
      "monitor.deleted",
    ]);
    expect(new Set(audit.map((row) => row.actorId))).toEqual(new Set([f.engineer.id]));
  });

  it("refuses settings the shared schema refuses, naming the field", async () => {
    const error = await trpcError(
      f.caller(f.engineer).monitors.create({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        settings: { ...featureDriftSettings(), windowMinutes: 30, bucketMinutes: 60 },
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(error.cause)).toContain("the window must be at least one bucket long");
  });

  it("refuses a notification route to another project's webhook", async () => {
    const other = await createProject(f.db);
    const foreign = await webhookOf(other.id);
    const error = await trpcError(
      f.caller(f.engineer).monitors.create({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        settings: featureDriftSettings({
          notify: [{ channelId: foreign.id, severities: ["warning", "critical"] }],
        }),
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(`no webhook ${foreign.id} in this project`);
  });

  it("refuses a viewer every change but lets them read", async () => {
    const viewer = f.caller(f.viewer);
    const monitor = await createMonitorRow(f.db, { projectId: f.project.id, modelId: f.model.id });
    const projectSlug = f.project.slug;
    await expectTrpcError(
      viewer.monitors.create({
        projectSlug,
        modelSlug: f.model.slug,
        settings: featureDriftSettings(),
      }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      viewer.monitors.update({
        projectSlug,
        monitorId: monitor.id,
        settings: featureDriftSettings(),
      }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      viewer.monitors.setEnabled({ projectSlug, monitorId: monitor.id, enabled: false }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      viewer.monitors.delete({ projectSlug, monitorId: monitor.id }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      viewer.monitors.mute({
        projectSlug,
        monitorId: monitor.id,
        startsAt: new Date(),
        endsAt: new Date(Date.now() + HOUR),
        reason: "maintenance",
      }),
      "FORBIDDEN",
    );
    const { monitors: listed } = await viewer.monitors.list({
      projectSlug,
      modelSlug: f.model.slug,
    });
    expect(listed.map((row) => row.id)).toContain(monitor.id);
  });

  it("lists each monitor with its latest evaluation and open alert count", async () => {
    const { createModel } = await import("@plumbline/db/factories");
    const model = await createModel(f.db, { projectId: f.project.id });
    const monitor = await createMonitorRow(f.db, { projectId: f.project.id, modelId: model.id });
    const quiet = await createMonitorRow(f.db, {
      projectId: f.project.id,
      modelId: model.id,
      settings: { name: "Traffic", metric: "traffic_volume", statistic: "count" },
    });
    const t0 = new Date("2026-12-01T10:00:00Z");
    await createEvaluationRow(f.db, { monitor, bucketEnd: t0, outcome: "ok" });
    await createEvaluationRow(f.db, {
      monitor,
      bucketEnd: new Date(t0.getTime() + HOUR),
      outcome: "critical",
    });
    await createAlertRow(f.db, { monitor, firedAt: new Date(t0.getTime() + HOUR) });

    const { monitors: listed } = await f.caller(f.viewer).monitors.list({
      projectSlug: f.project.slug,
      modelSlug: model.slug,
    });
    const byId = new Map(listed.map((row) => [row.id, row]));
    expect(byId.get(monitor.id)).toMatchObject({
      openAlerts: 1,
      lastEvaluation: { outcome: "critical", bucketEnd: new Date(t0.getTime() + HOUR) },
    });
    expect(byId.get(quiet.id)).toMatchObject({ openAlerts: 0, lastEvaluation: null });
  });

  it("hides another project's monitor", async () => {
    const other = await createProject(f.db);
    const { createModel } = await import("@plumbline/db/factories");
    const model = await createModel(f.db, { projectId: other.id });
    const monitor = await createMonitorRow(f.db, { projectId: other.id, modelId: model.id });
    await expectTrpcError(
      f.caller(f.admin).monitors.get({ projectSlug: f.project.slug, monitorId: monitor.id }),
      "NOT_FOUND",
    );
  });
});

describe("mute windows", () => {
  const projectSlug = () => f.project.slug;
  const criticalMonitor = () =>
    createMonitorRow(f.db, { projectId: f.project.id, modelId: f.model.id });
  const warningOnlyMonitor = () =>
    createMonitorRow(f.db, {
      projectId: f.project.id,
      modelId: f.model.id,
      settings: {
        name: "Latency",
        metric: "latency",
        statistic: "p95",
        threshold: { kind: "static", direction: "above", warning: 250, critical: null },
      },
    });

  it("keeps an ml_engineer's 48 h mute of a critical monitor pending; the engineer cannot approve it", async () => {
    const monitor = await criticalMonitor();
    const startsAt = new Date();
    const mute = await f.caller(f.engineer).monitors.mute({
      projectSlug: projectSlug(),
      monitorId: monitor.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 48 * HOUR),
      reason: "feature pipeline migration",
    });
    expect(mute).toMatchObject({ needsApproval: true, approvedBy: null, approvedAt: null });

    // Neither the requester nor another engineer holds monitor.approve_mute.
    for (const who of [f.engineer, f.engineer2]) {
      const error = await trpcError(
        f.caller(who).monitors.approveMute({ projectSlug: projectSlug(), muteId: mute.id }),
      );
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toContain("monitor.approve_mute");
    }
    const [stored] = await f.db.select().from(monitorMutes).where(eq(monitorMutes.id, mute.id));
    expect(stored?.approvedAt).toBeNull();

    const approved = await f.caller(f.approver).monitors.approveMute({
      projectSlug: projectSlug(),
      muteId: mute.id,
    });
    expect(approved.approvedBy).toBe(f.approver.id);
    expect((await auditActions(monitor.id)).map((row) => row.action)).toEqual([
      "monitor.mute_requested",
      "monitor.mute_approved",
    ]);
  });

  it("puts an approver's own long mute in force at once", async () => {
    const monitor = await criticalMonitor();
    const startsAt = new Date();
    const mute = await f.caller(f.approver).monitors.mute({
      projectSlug: projectSlug(),
      monitorId: monitor.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 72 * HOUR),
      reason: "planned outage",
    });
    expect(mute).toMatchObject({ needsApproval: true, approvedBy: f.approver.id });
  });

  it("needs no approver for a short mute, or for a monitor that cannot go critical", async () => {
    const startsAt = new Date();
    const short = await f.caller(f.engineer).monitors.mute({
      projectSlug: projectSlug(),
      monitorId: (await criticalMonitor()).id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 24 * HOUR),
      reason: "deploy window",
    });
    expect(short.needsApproval).toBe(false);
    const long = await f.caller(f.engineer).monitors.mute({
      projectSlug: projectSlug(),
      monitorId: (await warningOnlyMonitor()).id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 96 * HOUR),
      reason: "load test week",
    });
    expect(long.needsApproval).toBe(false);
  });

  it("refuses a mute that ends before it starts or has no reason, and cancels one", async () => {
    const monitor = await criticalMonitor();
    const startsAt = new Date(Date.now() + HOUR);
    const backwards = await trpcError(
      f.caller(f.engineer).monitors.mute({
        projectSlug: projectSlug(),
        monitorId: monitor.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() - 1000),
        reason: "oops",
      }),
    );
    expect(backwards.message).toContain("endsAt: must be after startsAt");
    await expectTrpcError(
      f.caller(f.engineer).monitors.mute({
        projectSlug: projectSlug(),
        monitorId: monitor.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        reason: "   ",
      }),
      "BAD_REQUEST",
    );
    const mute = await f.caller(f.engineer).monitors.mute({
      projectSlug: projectSlug(),
      monitorId: monitor.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      reason: "deploy",
    });
    const cancelled = await f.caller(f.engineer).monitors.cancelMute({
      projectSlug: projectSlug(),
      muteId: mute.id,
    });
    expect(cancelled.cancelledAt).not.toBeNull();
    await expectTrpcError(
      f.caller(f.engineer).monitors.cancelMute({ projectSlug: projectSlug(), muteId: mute.id }),
      "CONFLICT",
    );
  });
});
