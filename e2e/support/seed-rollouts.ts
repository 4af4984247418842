import { randomUUID } from "node:crypto";

import { createDatabase } from "@plumbline/db/client";
import { createEnvironment, createModel, createModelVersion } from "@plumbline/db/factories";
import {
  analysisMeasurements,
  analysisRuns,
  deploymentEvents,
  deploymentSteps,
  deployments,
  modelAliases,
} from "@plumbline/db/schema";

import { e2eState } from "./state";

const MINUTE_MS = 60_000;

const METRIC = {
  name: "error-rate",
  kind: "error_rate_difference",
  intervalSeconds: 60,
  count: 3,
  initialDelaySeconds: 0,
  minSamples: 50,
  successCondition: null,
  failureCondition: { op: ">", threshold: 0.02 },
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
} as const;

/**
 * A model of its own whose canary (v2 over v1, 10 % of traffic) waits for an approver: its
 * analysis measured once (successful) and then too few samples (inconclusive). Written as the
 * worker leaves such a deployment, so each test acts on its own and the worker leaves it be.
 */
export async function seedPausedCanary() {
  const state = e2eState();
  const { db, sql } = createDatabase(state.databaseUrl);
  try {
    const project = await db.query.projects.findFirst({
      where: (row, { eq }) => eq(row.slug, state.projectSlug),
    });
    if (!project) throw new Error("The e2e set-up has no project.");
    const suffix = randomUUID().slice(0, 8);
    const model = await createModel(db, {
      projectId: project.id,
      slug: `e2e-canary-${suffix}`,
      name: `E2E canary ${suffix}`,
    });
    const stable = await createModelVersion(db, { modelId: model.id, version: "1" });
    const candidate = await createModelVersion(db, { modelId: model.id, version: "2" });
    const environment = await createEnvironment(db, {
      projectId: project.id,
      name: `canary-${suffix}`,
      kind: "production",
    });
    await db.insert(modelAliases).values({
      modelId: model.id,
      name: environment.name,
      modelVersionId: stable.id,
      protected: true,
    });
    const startedAt = new Date(Date.now() - 5 * MINUTE_MS);
    const analysisAt = new Date(startedAt.getTime() + MINUTE_MS);
    const [deployment] = await db
      .insert(deployments)
      .values({
        projectId: project.id,
        modelId: model.id,
        environmentId: environment.id,
        targetAlias: environment.name,
        candidateVersionId: candidate.id,
        stableVersionId: stable.id,
        strategy: {
          steps: [
            { kind: "setWeight", weight: 10 },
            { kind: "analysis" },
            { kind: "setWeight", weight: 100 },
          ],
          analysis: { metrics: [METRIC] },
          progressDeadlineSeconds: 3600,
        },
        state: "paused",
        stepIndex: 1,
        weight: 10,
        stepStartedAt: analysisAt,
        pauseReason: "inconclusive",
        message: "error-rate inconclusive: 1 inconclusive (inconclusiveLimit 0)",
        startedBy: "system:e2e",
        startedAt,
        version: 4,
      })
      .returning();
    const id = deployment!.id;
    await db.insert(deploymentSteps).values([
      {
        modelId: model.id,
        deploymentId: id,
        attempt: 1,
        stepIndex: 0,
        step: { kind: "setWeight", weight: 10 },
        startedAt,
        completedAt: startedAt,
        completedVia: "worker",
      },
      {
        modelId: model.id,
        deploymentId: id,
        attempt: 1,
        stepIndex: 1,
        step: { kind: "analysis" },
        startedAt: analysisAt,
      },
    ]);
    const [run] = await db
      .insert(analysisRuns)
      .values({
        modelId: model.id,
        deploymentId: id,
        attempt: 1,
        stepIndex: 1,
        metrics: [METRIC],
        phase: "inconclusive",
        message: "error-rate inconclusive: 1 inconclusive (inconclusiveLimit 0)",
        startedAt: analysisAt,
        finishedAt: new Date(analysisAt.getTime() + 2 * MINUTE_MS),
      })
      .returning();
    const measurement = (index: number, ok: boolean) => ({
      modelId: model.id,
      runId: run!.id,
      metricName: METRIC.name,
      measurementIndex: index,
      phase: ok ? ("successful" as const) : ("inconclusive" as const),
      value: ok ? 0.004 : 0.05,
      canaryValue: ok ? 0.014 : 0.06,
      stableValue: 0.01,
      canarySamples: ok ? 180 : 12,
      stableSamples: ok ? 1620 : 1500,
      failureCondition: METRIC.failureCondition,
      reason: ok
        ? "failure condition value > 0.02 does not hold"
        : "too few samples: canary 12, stable 1500, need 50 each",
      windowStart: new Date(analysisAt.getTime() + index * MINUTE_MS),
      windowEnd: new Date(analysisAt.getTime() + (index + 1) * MINUTE_MS),
      measuredAt: new Date(analysisAt.getTime() + (index + 1) * MINUTE_MS),
    });
    await db.insert(analysisMeasurements).values([measurement(0, true), measurement(1, false)]);
    await db.insert(deploymentEvents).values(
      [
        { kind: "created", toState: "pending" as const, sequence: 1, position: 0, at: startedAt },
        {
          kind: "weight_changed",
          weightFrom: 0,
          weightTo: 10,
          sequence: 2,
          position: 2,
          at: startedAt,
        },
        {
          kind: "transition",
          fromState: "progressing" as const,
          toState: "analyzing" as const,
          sequence: 2,
          position: 4,
          at: analysisAt,
        },
        {
          kind: "transition",
          fromState: "analyzing" as const,
          toState: "paused" as const,
          sequence: 4,
          position: 0,
          reason: "analysis inconclusive",
          at: new Date(analysisAt.getTime() + 2 * MINUTE_MS),
        },
      ].map(({ at, ...event }) => ({
        modelId: model.id,
        deploymentId: id,
        actorType: "system" as const,
        actorId: "advance-deployments",
        occurredAt: at,
        ...event,
      })),
    );
    return { project, model, deployment: deployment!, stable, candidate, environment };
  } finally {
    await sql.end();
  }
}

export async function storedDeployment(deploymentId: string) {
  const { db, sql } = createDatabase(e2eState().databaseUrl);
  try {
    return await db.query.deployments.findFirst({
      where: (row, { eq }) => eq(row.id, deploymentId),
    });
  } finally {
    await sql.end();
  }
}
