import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_PROJECT_SLUG, seedDemo } from "@plumbline/db/demo-seed";
import { promotionRequests, users } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createCaller, createInnerContext } from "../src";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const callerFor = async (email: string) => {
  const [user] = await database.db.select().from(users).where(eq(users.email, email));
  return createCaller(createInnerContext({ db: database.db, userId: user!.id }));
};

describe("demo seed", () => {
  it("seeds one pending production promotion with evidence, idempotently", async () => {
    await seedDemo(database.db);
    await seedDemo(database.db);
    expect(await database.db.select().from(promotionRequests)).toHaveLength(1);

    const approver = await callerFor("approver@plumbline.demo");
    const inbox = await approver.promotions.list({
      projectSlug: DEMO_PROJECT_SLUG,
      states: ["awaiting_approval"],
    });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ environment: "production", version: "2" });
    const evidence = await approver.promotions.get({
      projectSlug: DEMO_PROJECT_SLUG,
      requestId: inbox[0]!.id,
    });
    expect(evidence.gateResults.length).toBeGreaterThanOrEqual(4);
    expect(evidence.gateResults.every((result) => result.outcome === "pass")).toBe(true);
    expect(evidence.baseline?.metrics.map((metric) => metric.value)).toEqual([0.812]);
    expect(evidence.card.missing).toEqual([]);

    const digest = evidence.request.artifactDigest;
    await approver.promotions.approve({
      projectSlug: DEMO_PROJECT_SLUG,
      requestId: inbox[0]!.id,
      comment: "AUC up, fairness within policy",
      artifactDigest: digest,
    });
    const admin = await callerFor("admin@plumbline.demo");
    const approved = await admin.promotions.approve({
      projectSlug: DEMO_PROJECT_SLUG,
      requestId: inbox[0]!.id,
      comment: "second approval",
      artifactDigest: digest,
    });
    expect(approved.state).toBe("approved");
    const verified = await admin.audit.verify({ projectSlug: DEMO_PROJECT_SLUG });
    expect(verified.ok).toBe(true);
  });
});
