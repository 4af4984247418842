import { canaryStrategySchema, type CanaryStrategyInput } from "@plumbline/rollouts";
import type { Database } from "@plumbline/db/client";
import {
  createEnvironment,
  createModel,
  createModelVersion,
  createProject,
} from "@plumbline/db/factories";
import { deployments } from "@plumbline/db/schema";

/** A short canary: weight 25, one error-rate analysis every 10 s (3 measurements), weight 100. */
export const SHORT_CANARY: CanaryStrategyInput = {
  steps: [
    { kind: "setWeight", weight: 25 },
    { kind: "analysis" },
    { kind: "setWeight", weight: 100 },
  ],
  analysis: {
    metrics: [
      {
        name: "error-rate",
        kind: "error_rate_difference",
        intervalSeconds: 10,
        count: 3,
        minSamples: 1,
        failureCondition: { op: ">", threshold: 0.05 },
      },
    ],
  },
};

/**
 * A pending deployment of version 2 over version 1 to production, inserted as the promotion
 * service would leave it (without the promotion: the worker then moves the alias itself).
 */
export async function createPendingDeployment(db: Database, strategy = SHORT_CANARY) {
  const project = await createProject(db);
  const model = await createModel(db, { projectId: project.id });
  const environment = await createEnvironment(db, { projectId: project.id, name: "production" });
  const stable = await createModelVersion(db, { modelId: model.id, version: "1" });
  const candidate = await createModelVersion(db, { modelId: model.id, version: "2" });
  const [deployment] = await db
    .insert(deployments)
    .values({
      projectId: project.id,
      modelId: model.id,
      environmentId: environment.id,
      targetAlias: "production",
      candidateVersionId: candidate.id,
      stableVersionId: stable.id,
      strategy: canaryStrategySchema.parse(strategy),
      startedBy: "system:test",
      startedAt: new Date("2030-01-01T00:00:00Z"),
    })
    .returning();
  return { project, model, environment, stable, candidate, deployment: deployment! };
}
