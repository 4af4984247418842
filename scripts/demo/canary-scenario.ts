/**
 * A canary release driven through the services and APIs people use: an environment with a
 * canary rollout policy, a version registered, evaluated, requested, approved and deployed (which
 * starts the canary), and traffic posted to the ingest API as an inference service honouring the
 * routing weight would send it. The demo, `pnpm bench:rollout` and the rollback integration test
 * share it.
 */
import { randomUUID } from "node:crypto";

import type { CanaryStrategyInput } from "@plumbline/rollouts";
import { decidePromotion } from "@plumbline/api/services/promotions/decide-promotion";
import { deployPromotion } from "@plumbline/api/services/promotions/deploy-promotion";
import { createEnvironment } from "@plumbline/api/services/promotions/environments";
import { upsertGatePolicy } from "@plumbline/api/services/promotions/gate-policies";
import { requestPromotion } from "@plumbline/api/services/promotions/request-promotion";
import { postEvaluation } from "@plumbline/api/services/registry/evaluations";
import { registerVersion } from "@plumbline/api/services/registry/models";
import { setRolloutPolicy } from "@plumbline/api/services/rollouts/rollout-policies";
import type { ServiceContext } from "@plumbline/api/services/service-context";
import type { Database } from "@plumbline/db/client";
import { createMember, testArtifactDigest } from "@plumbline/db/factories";
import { deployments } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";

export interface CanaryPeople {
  engineer: ServiceContext;
  approver: ServiceContext;
  admin: ServiceContext;
}

/** Only the schema-validation gate: the scenario is about the canary, not the gates. */
const CANARY_GATE_RULES = [
  { id: "schema-validation", kind: "evaluation_outcome", evaluationKind: "schema_validation" },
] as const;

/**
 * A canary strategy with one analysis of the error-rate difference every `intervalSeconds`
 * (the canary fails when its error rate exceeds the stable's by more than 5 points).
 */
export function errorRateCanary(options: {
  intervalSeconds: number;
  count: number;
  failureLimit: number;
  initialDelaySeconds?: number;
  minSamples?: number;
  weight?: number;
}): CanaryStrategyInput {
  return {
    steps: [
      { kind: "setWeight", weight: options.weight ?? 20 },
      { kind: "analysis" },
      { kind: "setWeight", weight: 50 },
      { kind: "setWeight", weight: 100 },
    ],
    analysis: {
      metrics: [
        {
          name: "error-rate",
          kind: "error_rate_difference",
          intervalSeconds: options.intervalSeconds,
          count: options.count,
          initialDelaySeconds: options.initialDelaySeconds ?? 0,
          minSamples: options.minSamples ?? 20,
          failureCondition: { op: ">", threshold: 0.05 },
          failureLimit: options.failureLimit,
        },
        {
          name: "p99-latency",
          kind: "p99_latency_ratio",
          intervalSeconds: options.intervalSeconds,
          count: options.count,
          initialDelaySeconds: options.initialDelaySeconds ?? 0,
          minSamples: options.minSamples ?? 20,
          failureCondition: { op: ">", threshold: 2 },
          failureLimit: options.failureLimit,
        },
      ],
    },
    progressDeadlineSeconds: Math.max(
      600,
      (options.initialDelaySeconds ?? 0) + options.count * options.intervalSeconds * 2,
    ),
  };
}

/**
 * A model serving its stable version in `environmentName`, ready for canaries: creates the
 * environment (production kind, unless it exists) with a one-approval policy, releases
 * `stableVersion` directly (no rollout policy yet), then sets the canary rollout policy, so the
 * next release starts a canary.
 */
export async function prepareCanaryEnvironment(
  db: Database,
  people: CanaryPeople,
  input: {
    modelId: string;
    environmentName: string;
    stableVersion: string;
    justification: string;
    strategy: CanaryStrategyInput;
    createEnvironment?: boolean;
  },
) {
  if (input.createEnvironment !== false) {
    await createEnvironment(people.admin, {
      name: input.environmentName,
      kind: "production",
      protected: true,
    });
  }
  await upsertGatePolicy(people.admin, {
    environmentName: input.environmentName,
    policy: { requiredApprovals: 1, rules: [...CANARY_GATE_RULES] },
  });
  const stable = await releaseVersion(db, people, {
    modelId: input.modelId,
    version: input.stableVersion,
    environmentName: input.environmentName,
    justification: input.justification,
  });
  await setRolloutPolicy(people.admin, {
    environmentName: input.environmentName,
    policy: { mode: "canary", strategy: input.strategy },
  });
  return stable;
}

/** An engineer, an approver and an admin of `projectId`, each a new member. */
export async function createCanaryPeople(db: Database, projectId: string): Promise<CanaryPeople> {
  const as = async (role: "ml_engineer" | "approver" | "admin"): Promise<ServiceContext> => ({
    db,
    projectId,
    actor: { type: "user", id: (await createMember(db, { projectId, role })).id, role },
  });
  return {
    engineer: await as("ml_engineer"),
    approver: await as("approver"),
    admin: await as("admin"),
  };
}

/**
 * Registers `version`, evaluates it, requests its promotion to `environmentName`, approves it
 * and deploys it: with the environment's canary policy that starts a deployment. Returns the
 * deployment id (null when the environment deploys directly: the alias moved).
 */
export async function releaseVersion(
  db: Database,
  people: CanaryPeople,
  input: { modelId: string; version: string; environmentName: string; justification: string },
): Promise<{ versionId: string; deploymentId: string | null }> {
  const version = await registerVersion(people.engineer, {
    modelId: input.modelId,
    version: input.version,
    artifactUri: `s3://models/${input.modelId}/${input.version}`,
    artifactDigest: testArtifactDigest(randomUUID()),
  });
  await postEvaluation(people.engineer, {
    versionId: version.id,
    evaluation: { kind: "schema_validation", outcome: "pass" },
  });
  const request = await requestPromotion(people.engineer, {
    modelVersionId: version.id,
    environmentName: input.environmentName,
    justification: input.justification,
  });
  await decidePromotion(people.approver, {
    requestId: request.id,
    decision: "approve",
    comment: "Reviewed; ship it behind a canary.",
    artifactDigest: request.artifactDigest,
  });
  await deployPromotion(people.engineer, { requestId: request.id });
  const [deployment] = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(eq(deployments.promotionRequestId, request.id));
  return { versionId: version.id, deploymentId: deployment?.id ?? null };
}

export interface TrafficShape {
  modelSlug: string;
  environment: "production";
  stableVersion: string;
  canaryVersion: string | null;
  /** Percentage of requests the canary serves, as read from the routing endpoint. */
  weight: number;
  /** The canary's error rate and latency (the stable errs at 1 % in about 20 ms). */
  canaryErrorRate: number;
  canaryLatencyMs: number;
}

let sequence = 0;
/** Requests served per side, so that each side's error rate is exact whatever the split. */
const served = { canary: 0, stable: 0 };

/** True for the `n`-th of a run of events that happen at `rate` (every 1 / rate-th). */
const nth = (n: number, rate: number) => Math.floor(n * rate) > Math.floor((n - 1) * rate);

/**
 * `count` prediction records as an inference service would log them: `weight` % of requests
 * routed to the canary, errors and latency by the side that served them. Deterministic (no
 * Math.random): the canary serves every request that tips its share over a whole one.
 */
export function canaryTraffic(shape: TrafficShape, count: number, at: Date) {
  const records = [];
  const share = shape.canaryVersion === null ? 0 : shape.weight / 100;
  for (let index = 0; index < count; index += 1) {
    sequence += 1;
    const onCanary = nth(sequence, share);
    const side = onCanary ? "canary" : "stable";
    served[side] += 1;
    const erred = nth(served[side], onCanary ? shape.canaryErrorRate : 0.01);
    records.push({
      prediction_id: `canary-${Date.now()}-${sequence}`,
      model: {
        id: shape.modelSlug,
        version: onCanary ? shape.canaryVersion! : shape.stableVersion,
        deployment: onCanary ? "canary" : "stable",
      },
      timestamp: at.toISOString(),
      features: { amount: 100 + (sequence % 50) },
      prediction: { score: ((sequence * 37) % 100) / 100 },
      latency_ms: onCanary ? shape.canaryLatencyMs : 18 + (sequence % 5),
      status: erred ? "error" : "ok",
    });
  }
  return records;
}
