import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyAuditChain } from "@plumbline/db/audit";
import {
  alerts,
  analysisMeasurements,
  auditLog,
  deploymentEvents,
  deploymentSteps,
  deployments,
  outboxEvents,
  predictionRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { loadPromotion } from "../src/services/promotions/promotion-record";
import { actOnDeployment } from "../src/services/rollouts/deployment-actions";
import {
  advanceDeployment,
  advanceDueDeployments,
} from "../src/services/rollouts/advance-deployments";
import { getDeployment } from "../src/services/rollouts/deployment-queries";
import { readSideSums } from "../src/services/rollouts/read-side-sums";
import { setRolloutPolicy } from "../src/services/rollouts/rollout-policies";
import {
  createGovernanceFixture,
  expectRefusal,
  type GovernanceFixture,
} from "./governance-fixture";
import {
  at,
  fakeReader,
  productionAliasOf,
  shortCanaryStrategy,
  startCanary,
} from "./rollout-fixture";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const fresh = () => createGovernanceFixture(database);

async function stateOf(f: GovernanceFixture, id: string) {
  const [row] = await f.db.select().from(deployments).where(eq(deployments.id, id));
  return row!;
}

async function outboxTypes(f: GovernanceFixture, deploymentId: string) {
  const rows = await f.db
    .select({ type: outboxEvents.eventType, payload: outboxEvents.payload })
    .from(outboxEvents)
    .where(eq(outboxEvents.resourceId, deploymentId))
    .orderBy(asc(outboxEvents.createdAt));
  return rows;
}

describe("an approved promotion to a canary environment", () => {
  it("starts a deployment and leaves the protected alias on the stable version", async () => {
    const f = await fresh();
    const { stable, request, deployment } = await startCanary(f, shortCanaryStrategy());
    expect(request.state).toBe("deploying");
    expect(deployment).toMatchObject({ state: "pending", weight: 0, stableVersionId: stable.id });
    expect(await productionAliasOf(f)).toBe(stable.id);
    expect((await outboxTypes(f, deployment.id)).map((row) => row.type)).toEqual([
      "deployment.started",
    ]);
  });

  it("refuses an invalid rollout policy with a message naming the problem", async () => {
    const f = await fresh();
    await expectRefusal(
      setRolloutPolicy(f.ctxOf(f.admin), {
        environmentName: "production",
        policy: { mode: "canary", strategy: { steps: [{ kind: "setWeight", weight: 150 }] } },
      }),
      "invalid_rollout_policy",
      "BAD_REQUEST",
    );
  });
});

describe("the worker advancing a deployment", () => {
  it("promotes a healthy canary: weights, analysis, alias moved only at success", async () => {
    const f = await fresh();
    const { stable, candidate, deployment } = await startCanary(f, shortCanaryStrategy());
    const read = fakeReader(new Set());
    await advanceDueDeployments(f.db, { now: at(0), read });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "analyzing", weight: 20 });
    await advanceDueDeployments(f.db, { now: at(10), read });
    await advanceDueDeployments(f.db, { now: at(20), read });
    expect(await productionAliasOf(f)).toBe(stable.id);
    await advanceDueDeployments(f.db, { now: at(30), read });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "succeeded", weight: 100 });
    expect(await productionAliasOf(f)).toBe(candidate.id);
    const promotion = await loadPromotion(f.db, deployment.promotionRequestId!);
    expect(promotion!.request.state).toBe("promoted");

    const events = await outboxTypes(f, deployment.id);
    expect(events.map((row) => row.type)).toEqual([
      "deployment.started",
      "deployment.weight_changed",
      "deployment.weight_changed",
      "deployment.succeeded",
    ]);
    expect(events[1]!.payload).toMatchObject({
      weight: 20,
      previousWeight: 0,
      stableVersion: stable.version,
      canaryVersion: candidate.version,
    });
    const detail = await getDeployment(f.db, f.project.id, deployment.id);
    expect(detail.runs[0]!.measurements.map((m) => m.phase)).toEqual([
      "successful",
      "successful",
      "successful",
    ]);
    expect(detail.steps.every((step) => step.completedAt !== null)).toBe(true);
    const actions = await f.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.resourceId, deployment.id));
    expect(actions.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        "deployment.created",
        "deployment.progressing",
        "deployment.weight_changed",
        "deployment.analyzing",
        "deployment.promoting",
        "deployment.succeeded",
      ]) as string[],
    );
    expect((await verifyAuditChain(f.db, f.project.id)).ok).toBe(true);
  });

  it("rolls a degraded canary back within initialDelay + (failureLimit + 1) x interval", async () => {
    const f = await fresh();
    const { stable, candidate, deployment } = await startCanary(
      f,
      shortCanaryStrategy({ failureLimit: 1 }),
    );
    const read = fakeReader(new Set([candidate.version]));
    await advanceDueDeployments(f.db, { now: at(0), read });
    await advanceDueDeployments(f.db, { now: at(10), read });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "analyzing", weight: 20 });
    await advanceDueDeployments(f.db, { now: at(20), read });
    const rolledBack = await stateOf(f, deployment.id);
    expect(rolledBack).toMatchObject({
      state: "rolled_back",
      weight: 0,
      abortReason: "analysis_failed",
    });
    expect(rolledBack.message).toContain("error-rate failed: 2 failed (failureLimit 1)");
    expect(await productionAliasOf(f)).toBe(stable.id);
    const promotion = await loadPromotion(f.db, deployment.promotionRequestId!);
    expect(promotion!.request.state).toBe("rolled_back");
    const [alert] = await f.db
      .select()
      .from(alerts)
      .where(eq(alerts.dedupKey, `deployment:${deployment.id}:1`));
    expect(alert).toMatchObject({ state: "firing", severity: "critical", deployment: "canary" });
    expect((await outboxTypes(f, deployment.id)).map((row) => row.type)).toEqual([
      "deployment.started",
      "deployment.weight_changed",
      "deployment.weight_changed",
      "deployment.rolled_back",
    ]);
    expect((await verifyAuditChain(f.db, f.project.id)).ok).toBe(true);
  });

  it("pauses on an inconclusive analysis, tells the approvers, and resumes on an approver's word", async () => {
    const f = await fresh();
    const { candidate, deployment } = await startCanary(f, shortCanaryStrategy());
    const thin = fakeReader(new Set(), 5);
    await advanceDueDeployments(f.db, { now: at(0), read: thin });
    await advanceDueDeployments(f.db, { now: at(10), read: thin });
    expect(await stateOf(f, deployment.id)).toMatchObject({
      state: "paused",
      pauseReason: "inconclusive",
      weight: 20,
    });
    expect((await outboxTypes(f, deployment.id)).map((row) => row.type)).toContain(
      "deployment.inconclusive",
    );
    await actOnDeployment(f.ctxOf(f.approver, { now: () => at(15) }), {
      deploymentId: deployment.id,
      action: "resume",
    });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "succeeded", weight: 100 });
    expect(await productionAliasOf(f)).toBe(candidate.id);
  });

  it("lets an engineer abort only their own promotion's deployment, then retries it", async () => {
    const f = await fresh();
    const { stable, candidate, deployment } = await startCanary(f, shortCanaryStrategy());
    await advanceDueDeployments(f.db, { now: at(0), read: fakeReader(new Set()) });
    await expectRefusal(
      actOnDeployment(f.ctxOf(f.engineer2), { deploymentId: deployment.id, action: "abort" }),
      "not_own_deployment",
      "FORBIDDEN",
    );
    await actOnDeployment(f.ctxOf(f.engineer, { now: () => at(5) }), {
      deploymentId: deployment.id,
      action: "abort",
      reason: "dashboards look odd",
    });
    expect(await stateOf(f, deployment.id)).toMatchObject({
      state: "rolled_back",
      weight: 0,
      abortReason: "manual",
      message: "dashboards look odd",
    });
    expect(await productionAliasOf(f)).toBe(stable.id);
    await expectRefusal(
      actOnDeployment(f.ctxOf(f.approver), { deploymentId: deployment.id, action: "abort" }),
      "terminal",
      "CONFLICT",
    );
    await actOnDeployment(f.ctxOf(f.approver, { now: () => at(100) }), {
      deploymentId: deployment.id,
      action: "retry",
    });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "analyzing", attempt: 2 });
    await actOnDeployment(f.ctxOf(f.approver, { now: () => at(101) }), {
      deploymentId: deployment.id,
      action: "promote_now",
    });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "succeeded" });
    expect(await productionAliasOf(f)).toBe(candidate.id);
  });
});

describe("measurements from the rollups", () => {
  it("compares the canary's and the stable's error rates over the same minutes", async () => {
    const f = await fresh();
    const { stable, candidate, deployment } = await startCanary(
      f,
      shortCanaryStrategy({ failureLimit: 0 }),
    );
    const minute = new Date("2030-01-01T00:00:00Z");
    await f.db.insert(predictionRollupsMinute).values([
      {
        modelId: f.model.id,
        minute,
        version: stable.version,
        deployment: "stable",
        count: 400,
        errorCount: 4,
      },
      {
        modelId: f.model.id,
        minute,
        version: candidate.version,
        deployment: "canary",
        count: 100,
        errorCount: 25,
      },
    ]);
    const sums = await readSideSums(f.db, {
      modelId: f.model.id,
      version: candidate.version,
      from: minute,
      to: at(10),
    });
    expect(sums).toMatchObject({ count: 100, errorCount: 25 });
    await advanceDueDeployments(f.db, { now: at(0) });
    await advanceDueDeployments(f.db, { now: at(10) });
    const [measurement] = await f.db
      .select()
      .from(analysisMeasurements)
      .where(eq(analysisMeasurements.modelId, f.model.id));
    expect(measurement).toMatchObject({
      phase: "failed",
      canaryValue: 0.25,
      stableValue: 0.01,
      canarySamples: 100,
      stableSamples: 400,
      failureCondition: { op: ">", threshold: 0.05 },
    });
    expect(measurement!.value).toBeCloseTo(0.24, 12);
    expect((await stateOf(f, deployment.id)).state).toBe("rolled_back");
  });
});

describe("workers", () => {
  it("a worker killed mid-step leaves nothing, and the next pass does the step once", async () => {
    const f = await fresh();
    const { deployment } = await startCanary(f, shortCanaryStrategy());
    await expect(
      advanceDeployment(f.db, deployment.id, {
        now: at(0),
        beforeCommit: () => {
          throw new Error("SIGKILL");
        },
      }),
    ).rejects.toThrow("SIGKILL");
    expect(await stateOf(f, deployment.id)).toMatchObject({
      state: "pending",
      weight: 0,
      version: 1,
    });
    const steps = await f.db
      .select()
      .from(deploymentSteps)
      .where(eq(deploymentSteps.deploymentId, deployment.id));
    expect(steps).toHaveLength(0);
    await advanceDeployment(f.db, deployment.id, { now: at(1), read: fakeReader(new Set()) });
    expect(await stateOf(f, deployment.id)).toMatchObject({ state: "analyzing", weight: 20 });
    const after = await f.db
      .select({ stepIndex: deploymentSteps.stepIndex })
      .from(deploymentSteps)
      .where(eq(deploymentSteps.deploymentId, deployment.id));
    expect(after.map((step) => step.stepIndex).sort()).toEqual([0, 1]);
  });

  it("a worker skips a deployment another worker holds", async () => {
    const f = await fresh();
    const { deployment } = await startCanary(f, shortCanaryStrategy());
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = advanceDeployment(f.db, deployment.id, {
      now: at(0),
      beforeCommit: async () => {
        entered();
        await held;
      },
    });
    await inside;
    const second = await advanceDeployment(f.db, deployment.id, { now: at(0) });
    expect(second).toEqual({ claimed: false, changed: false, state: null });
    release();
    expect(await first).toMatchObject({ claimed: true, state: "analyzing" });
  });

  it("two workers racing over many passes never advance one deployment twice", async () => {
    const f = await fresh();
    const { deployment } = await startCanary(f, shortCanaryStrategy({ count: 3 }));
    const read = fakeReader(new Set());
    for (const seconds of [0, 10, 20, 30]) {
      await Promise.all([
        advanceDueDeployments(f.db, { now: at(seconds), read }),
        advanceDueDeployments(f.db, { now: at(seconds), read }),
        advanceDueDeployments(f.db, { now: at(seconds), read }),
      ]);
    }
    expect((await stateOf(f, deployment.id)).state).toBe("succeeded");
    const events = await f.db
      .select({ kind: deploymentEvents.kind, to: deploymentEvents.toState })
      .from(deploymentEvents)
      .where(
        and(
          eq(deploymentEvents.deploymentId, deployment.id),
          eq(deploymentEvents.kind, "transition"),
        ),
      )
      .orderBy(asc(deploymentEvents.sequence), asc(deploymentEvents.position));
    expect(events.map((event) => event.to)).toEqual([
      "progressing",
      "analyzing",
      "progressing",
      "promoting",
      "succeeded",
    ]);
    const [{ count }] = (await f.db.execute(
      sql`select count(*)::int as count from analysis_measurements where model_id = ${f.model.id}`,
    )) as unknown as [{ count: number }];
    expect(count).toBe(3);
    const weights = await outboxTypes(f, deployment.id);
    expect(weights.filter((row) => row.type === "deployment.weight_changed")).toHaveLength(2);
  });
});
