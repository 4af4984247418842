import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { advanceDueDeployments } from "@plumbline/api/services/rollouts/advance-deployments";
import { createModel, createProject, createTestApiKey } from "@plumbline/db/factories";
import { alerts, deployments, modelAliases, outboxEvents } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import { buildIngestApp } from "@plumbline/ingest/app";
import { canaryStrategySchema, rollbackBoundSeconds } from "@plumbline/rollouts";

import {
  canaryTraffic,
  createCanaryPeople,
  errorRateCanary,
  prepareCanaryEnvironment,
  releaseVersion,
} from "./canary-scenario";

/**
 * A degraded canary fed through the ingest API rolls back by itself, within
 * initialDelay + (failureLimit + 1) x interval + ingest lag of its first degraded traffic. The
 * clock is simulated (a 1 s worker pass); the state is computed by the real services over the
 * rollups ingest wrote, and the inference service is simulated honouring the routing weight.
 */

let database: TestDatabase;
let app: ReturnType<typeof buildIngestApp>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = buildIngestApp({
    db: database.db,
    sql: database.sql,
    rateLimit: { perSecond: 100_000, burst: 100_000 },
  });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const INTERVAL_SECONDS = 2;
const FAILURE_LIMIT = 1;
/** One worker pass per simulated second: what ingest wrote by then is in the rollups (acked after commit). */
const INGEST_LAG_SECONDS = 1;

describe("a degraded canary through the ingest API", () => {
  it("is rolled back by itself within the bound, the alias left on the stable version", async () => {
    const { db } = database;
    const project = await createProject(db);
    const people = await createCanaryPeople(db, project.id);
    const model = await createModel(db, { projectId: project.id, slug: "canary-it" });
    const strategy = errorRateCanary({
      intervalSeconds: INTERVAL_SECONDS,
      count: 5,
      failureLimit: FAILURE_LIMIT,
      minSamples: 20,
    });
    const stable = await prepareCanaryEnvironment(db, people, {
      modelId: model.id,
      environmentName: "production",
      stableVersion: "1",
      justification: "first release",
      strategy,
    });
    expect(stable.deploymentId).toBeNull();
    const { deploymentId } = await releaseVersion(db, people, {
      modelId: model.id,
      version: "2",
      environmentName: "production",
      justification: "new features",
    });
    expect(deploymentId).not.toBeNull();

    const { token } = await createTestApiKey(db, {
      projectId: project.id,
      scopes: ["predictions:write", "read"],
    });
    const auth = { authorization: `Bearer ${token}` };
    const routing = async () =>
      (
        await app.inject({ method: "GET", url: "/v1/models/canary-it/routing", headers: auth })
      ).json<{
        stableVersion: string;
        canaryVersion: string | null;
        weight: number;
        state: string | null;
      }>();

    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    let degradedFrom: number | null = null;
    let rolledBackAt: number | null = null;
    for (let second = 0; second <= 30 && rolledBackAt === null; second += 1) {
      // The inference service reads the split and serves (and logs) accordingly.
      const split = await routing();
      if (split.canaryVersion !== null && split.weight > 0) degradedFrom ??= second;
      const records = canaryTraffic(
        {
          modelSlug: "canary-it",
          environment: "production",
          stableVersion: split.stableVersion,
          canaryVersion: split.canaryVersion,
          weight: split.weight,
          canaryErrorRate: 0.4,
          canaryLatencyMs: 20,
        },
        200,
        at(second),
      );
      const posted = await app.inject({
        method: "POST",
        url: "/v1/predictions",
        headers: { ...auth, "content-type": "application/json" },
        payload: JSON.stringify({ records }),
      });
      expect(posted.statusCode).toBe(202);
      await advanceDueDeployments(db, { now: at(second) });
      const after = await routing();
      if (after.state === null && after.weight === 0 && degradedFrom !== null)
        rolledBackAt = second;
    }

    const [row] = await db.select().from(deployments).where(eq(deployments.id, deploymentId!));
    expect(row).toMatchObject({ state: "rolled_back", weight: 0, abortReason: "analysis_failed" });
    expect(row!.message).toContain("error-rate failed");
    expect(degradedFrom).not.toBeNull();
    expect(rolledBackAt).not.toBeNull();
    const bound =
      rollbackBoundSeconds(canaryStrategySchema.parse(strategy).analysis!.metrics) +
      INGEST_LAG_SECONDS;
    expect(bound).toBe(5);
    expect(rolledBackAt! - degradedFrom!).toBeLessThanOrEqual(bound);

    expect(await routing()).toMatchObject({ stableVersion: "1", canaryVersion: null, weight: 0 });
    const [alias] = await db
      .select({ versionId: modelAliases.modelVersionId })
      .from(modelAliases)
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.name, "production")));
    expect(alias!.versionId).toBe(stable.versionId);
    const [alert] = await db.select().from(alerts).where(eq(alerts.modelId, model.id));
    expect(alert).toMatchObject({ state: "firing", severity: "critical" });
    const events = await db
      .select({ type: outboxEvents.eventType })
      .from(outboxEvents)
      .where(eq(outboxEvents.resourceId, deploymentId!));
    expect(events.map((event) => event.type)).toContain("deployment.rolled_back");
  });
});
