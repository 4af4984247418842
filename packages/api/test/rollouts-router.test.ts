import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { advanceDueDeployments } from "../src/services/rollouts/advance-deployments";
import {
  caughtTrpcError,
  createGovernanceFixture,
  expectTrpcError,
  type GovernanceFixture,
} from "./governance-fixture";
import { at, fakeReader, shortCanaryStrategy, startCanary } from "./rollout-fixture";

let database: TestDatabase;
let f: GovernanceFixture;
let deploymentId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
  const started = await startCanary(f, shortCanaryStrategy());
  deploymentId = started.deployment.id;
  // Too few samples: the analysis is inconclusive and the deployment waits for an approver.
  await advanceDueDeployments(f.db, { now: at(0), read: fakeReader(new Set(), 5) });
  await advanceDueDeployments(f.db, { now: at(10), read: fakeReader(new Set(), 5) });
});
afterAll(async () => {
  await database.drop();
});

const ref = () => ({ projectSlug: f.project.slug, deploymentId });

describe("the rollouts router's role rules", () => {
  it("lets every role watch: list and get", async () => {
    const list = await f.caller(f.viewer).rollouts.list({ projectSlug: f.project.slug });
    expect(list.map((row) => row.id)).toContain(deploymentId);
    const detail = await f.caller(f.viewer).rollouts.get(ref());
    expect(detail).toMatchObject({ state: "paused", pauseReason: "inconclusive", weight: 20 });
    expect(detail.runs[0]!.measurements[0]).toMatchObject({ phase: "inconclusive" });
  });

  it("refuses a viewer every action, and an engineer resume, promote and retry", async () => {
    for (const action of ["abort", "resume", "promoteNow", "retry"] as const) {
      const error = await caughtTrpcError(
        f.caller(f.viewer).rollouts[action]({ ...ref(), reason: "no" }),
      );
      expect(error.code).toBe("FORBIDDEN");
    }
    for (const action of ["resume", "promoteNow", "retry"] as const) {
      const error = await caughtTrpcError(f.caller(f.engineer).rollouts[action](ref()));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toContain("deployment.");
    }
  });

  it("refuses an engineer who did not request the promotion an abort", async () => {
    await expectTrpcError(
      f.caller(f.engineer2).rollouts.abort({ ...ref(), reason: "not mine" }),
      "FORBIDDEN",
    );
  });

  it("refuses the signed-out and strangers", async () => {
    await expectTrpcError(f.caller(null).rollouts.get(ref()), "UNAUTHORIZED");
    await expectTrpcError(
      f.caller(f.viewer).rollouts.get({ projectSlug: "no-such-project", deploymentId }),
      "NOT_FOUND",
    );
  });

  it("lets an approver resume, and reports a refused transition as a conflict", async () => {
    const resumed = await f.caller(f.approver).rollouts.resume(ref());
    expect(resumed.state).not.toBe("paused");
    await expectTrpcError(f.caller(f.approver).rollouts.resume(ref()), "CONFLICT");
  });

  it("lets only policy managers set a rollout policy, and validates it", async () => {
    await expectTrpcError(
      f.caller(f.engineer).rollouts.setPolicy({
        projectSlug: f.project.slug,
        environmentName: "staging",
        policy: { mode: "direct" },
      }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      f.caller(f.approver).rollouts.setPolicy({
        projectSlug: f.project.slug,
        environmentName: "staging",
        policy: { mode: "canary", strategy: { steps: [] } } as never,
      }),
      "BAD_REQUEST",
    );
    const policy = await f.caller(f.approver).rollouts.setPolicy({
      projectSlug: f.project.slug,
      environmentName: "staging",
      policy: { mode: "canary", strategy: shortCanaryStrategy() },
    });
    expect(policy.mode).toBe("canary");
    expect(
      await f.caller(f.viewer).rollouts.policy({
        projectSlug: f.project.slug,
        environmentName: "staging",
      }),
    ).toEqual(policy);
  });
});
