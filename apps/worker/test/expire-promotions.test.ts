import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { upsertGatePolicy } from "@plumbline/api/services/promotions/gate-policies";
import { requestPromotion } from "@plumbline/api/services/promotions/request-promotion";
import { postEvaluation } from "@plumbline/api/services/registry/evaluations";
import { registerVersion } from "@plumbline/api/services/registry/models";
import {
  createEnvironment,
  createMember,
  createModel,
  testArtifactDigest,
} from "@plumbline/db/factories";
import { promotionRequests } from "@plumbline/db/schema";

import { deliverDueWebhooks } from "../src/jobs/deliver-webhooks";
import { expirePromotions } from "../src/jobs/expire-promotions";
import { silentLogger } from "../src/logger";
import { createWorkerFixture, LOOPBACK_RECEIVERS, type WorkerFixture } from "./fixture";
import { startReceiver, type Receiver } from "./receiver";

let f: WorkerFixture;
let receiver: Receiver;

beforeAll(async () => {
  f = await createWorkerFixture();
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  await f.drop();
});

let productionReady = false;

/** The production environment, with a policy of one approval and a 24-hour window. */
async function ensureProduction() {
  if (productionReady) return;
  await createEnvironment(f.db, { projectId: f.project.id, name: "production" });
  await upsertGatePolicy(f.ctx, {
    environmentName: "production",
    policy: {
      requiredApprovals: 1,
      approvalTtlHours: 24,
      rules: [
        {
          id: "schema-validation",
          kind: "evaluation_outcome",
          evaluationKind: "schema_validation",
        },
      ],
    },
  });
  productionReady = true;
}

/** A production request awaiting one approval, made through the real services. */
async function openProductionRequest() {
  const engineer = await createMember(f.db, { projectId: f.project.id, role: "ml_engineer" });
  const engineerCtx = {
    ...f.ctx,
    actor: { type: "user", id: engineer.id, role: "ml_engineer" } as const,
  };
  await ensureProduction();
  const model = await createModel(f.db, { projectId: f.project.id, createdBy: engineer.id });
  const version = await registerVersion(engineerCtx, {
    modelId: model.id,
    version: "1",
    artifactUri: "s3://models/1",
    artifactDigest: testArtifactDigest("1"),
  });
  await postEvaluation(engineerCtx, {
    versionId: version.id,
    evaluation: { kind: "schema_validation", outcome: "pass" },
  });
  return requestPromotion(engineerCtx, {
    modelVersionId: version.id,
    environmentName: "production",
    justification: "better AUC on the holdout",
  });
}

const stateOf = async (id: string) => {
  const [row] = await f.db
    .select({ state: promotionRequests.state })
    .from(promotionRequests)
    .where(eq(promotionRequests.id, id));
  return row!.state;
};

describe("expirePromotions", () => {
  it("expires a request past its approval window, and its webhook event is delivered", async () => {
    await f.subscribe(receiver, ["promotion.expired"]);
    const request = await openProductionRequest();
    expect(request.state).toBe("awaiting_approval");
    const expiresAt = request.expiresAt!;
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    // Inside the window: nothing happens.
    expect(await expirePromotions(f.db)).toEqual({ expired: [], failed: [] });
    expect(await stateOf(request.id)).toBe("awaiting_approval");

    const later = new Date(expiresAt.getTime() + 60_000);
    expect(await expirePromotions(f.db, { now: () => later })).toEqual({
      expired: [request.id],
      failed: [],
    });
    expect(await stateOf(request.id)).toBe("expired");
    // A second worker (or the next run) finds nothing left to do.
    expect(await expirePromotions(f.db, { now: () => later })).toEqual({
      expired: [],
      failed: [],
    });

    // The transition wrote its outbox event in the same transaction; the dispatcher sends it.
    expect(
      await deliverDueWebhooks(f.sql, {
        batchSize: 10,
        timeoutMs: 5_000,
        destinations: { allowed: LOOPBACK_RECEIVERS },
      }),
    ).toMatchObject({
      succeeded: 1,
    });
    expect(receiver.requests).toHaveLength(1);
    const [delivered] = receiver.requests;
    expect(delivered!.verification.ok).toBe(true);
    expect(JSON.parse(delivered!.body)).toMatchObject({
      type: "promotion.expired",
      resource: { type: "promotion_request", id: request.id },
      data: { requestId: request.id, state: "expired" },
    });
  });

  it("goes on past a request that cannot be expired, and logs and counts it", async () => {
    const poisoned = await openProductionRequest();
    const healthy = await openProductionRequest();
    // The poisoned request's window closed first, so a pass that stops at the first error would
    // never reach the healthy one.
    await f.sql`
      update promotion_requests set expires_at = expires_at - interval '1 hour'
      where id = ${poisoned.id}
    `;
    await f.sql.unsafe(`
      create function poison_promotion_update() returns trigger language plpgsql as $$
      begin raise exception 'poisoned promotion request'; end $$;
      create trigger poison_promotion_update before update on promotion_requests
        for each row when (old.id = '${poisoned.id}') execute function poison_promotion_update();
    `);
    const logged: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const log = {
      ...silentLogger,
      error: (message: string, fields?: Record<string, unknown>) => {
        logged.push({ message, fields });
      },
    };
    try {
      const later = new Date(healthy.expiresAt!.getTime() + 60_000);
      expect(await expirePromotions(f.db, { now: () => later, log })).toEqual({
        expired: [healthy.id],
        failed: [poisoned.id],
      });
      expect(await stateOf(healthy.id)).toBe("expired");
      expect(await stateOf(poisoned.id)).toBe("awaiting_approval");
      expect(logged).toHaveLength(1);
      expect(logged[0]!.fields).toMatchObject({ requestId: poisoned.id });
    } finally {
      await f.sql.unsafe(`
        drop trigger poison_promotion_update on promotion_requests;
        drop function poison_promotion_update();
      `);
    }
  });
});
