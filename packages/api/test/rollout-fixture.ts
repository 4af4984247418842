import { and, eq } from "drizzle-orm";

import { emptySideSums, type CanaryStrategyInput, type SideSums } from "@plumbline/rollouts";
import { SCORE_HISTOGRAM_BINS } from "@plumbline/db/histogram-buckets";
import { deployments, modelAliases } from "@plumbline/db/schema";

import { decidePromotion } from "../src/services/promotions/decide-promotion";
import { deployPromotion } from "../src/services/promotions/deploy-promotion";
import type { SideReader } from "../src/services/rollouts/assess-analysis";
import { setRolloutPolicy } from "../src/services/rollouts/rollout-policies";
import type { GovernanceFixture } from "./governance-fixture";

/** A short canary: weight 20, analysis of the error-rate difference every 10 s, weight 100. */
export function shortCanaryStrategy(
  overrides: { failureLimit?: number; count?: number; inconclusiveLimit?: number } = {},
): CanaryStrategyInput {
  return {
    steps: [
      { kind: "setWeight", weight: 20 },
      { kind: "analysis" },
      { kind: "setWeight", weight: 100 },
    ],
    analysis: {
      metrics: [
        {
          name: "error-rate",
          kind: "error_rate_difference",
          intervalSeconds: 10,
          count: overrides.count ?? 3,
          minSamples: 20,
          failureCondition: { op: ">", threshold: 0.05 },
          failureLimit: overrides.failureLimit ?? 1,
          inconclusiveLimit: overrides.inconclusiveLimit ?? 0,
        },
      ],
    },
    progressDeadlineSeconds: 600,
  };
}

/** A side with `count` predictions of which `errors` failed. */
export function sideWith(count: number, errors: number): SideSums {
  return { ...emptySideSums(SCORE_HISTOGRAM_BINS), count, errorCount: errors };
}

/** A reader that answers per version: `bad` versions err at 30 %, the rest at 1 %. */
export function fakeReader(bad: ReadonlySet<string>, count = 200): SideReader {
  return (_db, input) =>
    Promise.resolve(sideWith(count, Math.round(count * (bad.has(input.version) ? 0.3 : 0.01))));
}

/** Approves a production request by two approvers (the fixture's quorum). */
export async function approveProduction(f: GovernanceFixture, requestId: string, digest: string) {
  for (const approver of f.approvers.slice(0, 2)) {
    await decidePromotion(f.ctxOf(approver), {
      requestId,
      decision: "approve",
      comment: "ok",
      artifactDigest: digest,
    });
  }
}

/**
 * Releases a first version to production directly (so the canary has a stable to compare
 * with), then switches production to `strategy` and starts a canary of a second version.
 */
export async function startCanary(f: GovernanceFixture, strategy: CanaryStrategyInput) {
  await setRolloutPolicy(f.ctxOf(f.admin), {
    environmentName: "production",
    policy: { mode: "direct" },
  });
  const first = await f.openRequest("production");
  await approveProduction(f, first.request.id, first.version.artifactDigest!);
  await deployPromotion(f.ctxOf(f.engineer), { requestId: first.request.id });
  await setRolloutPolicy(f.ctxOf(f.admin), {
    environmentName: "production",
    policy: { mode: "canary", strategy },
  });
  const second = await f.openRequest("production");
  await approveProduction(f, second.request.id, second.version.artifactDigest!);
  const deploying = await deployPromotion(f.ctxOf(f.engineer), { requestId: second.request.id });
  const [deployment] = await f.db
    .select()
    .from(deployments)
    .where(eq(deployments.promotionRequestId, second.request.id));
  return {
    stable: first.version,
    candidate: second.version,
    request: deploying,
    deployment: deployment!,
  };
}

export async function productionAliasOf(f: GovernanceFixture) {
  const [alias] = await f.db
    .select()
    .from(modelAliases)
    .where(and(eq(modelAliases.modelId, f.model.id), eq(modelAliases.name, "production")));
  return alias?.modelVersionId ?? null;
}

export const T0 = new Date("2030-01-01T00:00:00Z");
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
