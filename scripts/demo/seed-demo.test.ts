import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createCaller, createInnerContext } from "@plumbline/api";
import {
  apiKeys,
  auditLog,
  lineageEdges,
  modelVersions,
  promotionRequests,
  users,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { DEMO_MODEL_SLUG, DEMO_PROJECT_SLUG, seedDemo } from "./seed-demo";

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
  it("tells the governance story through the services, idempotently", async () => {
    await seedDemo(database.db);
    await seedDemo(database.db);

    const requests = await database.db.select().from(promotionRequests);
    expect(requests.map((request) => request.state).sort()).toEqual([
      "awaiting_approval",
      "promoted",
    ]);
    const keys = await database.db.select().from(apiKeys);
    expect(keys.filter((key) => key.revokedAt === null)).toHaveLength(1);
    // Every change came through a service, with its audit row, by a demo user or the system.
    const audit = await database.db.select().from(auditLog);
    const actions = new Set(audit.map((row) => row.action));
    for (const action of [
      "model.registered",
      "model_version.registered",
      "model_card.approved",
      "promotion.approved",
    ]) {
      expect(actions).toContain(action);
    }
    expect(audit.filter((row) => row.actorId === "demo-seed")).toEqual([]);

    const engineer = await callerFor("engineer@plumbline.demo");
    const aliases = await engineer.registry.aliases({
      projectSlug: DEMO_PROJECT_SLUG,
      modelSlug: DEMO_MODEL_SLUG,
    });
    const production = aliases.find((alias) => alias.name === "production");
    expect(production?.version).toBe("1");
    expect(production?.history.map((move) => move.via)).toEqual(["promotion"]);
    // Each version was registered with its datasets, then marked ready.
    const versions = await database.db.select().from(modelVersions);
    expect(versions.map((version) => version.status)).toEqual(["ready", "ready"]);
    const edges = await database.db
      .select()
      .from(lineageEdges)
      .where(eq(lineageEdges.fromKind, "dataset_version"));
    expect(edges.map((edge) => edge.role).sort()).toEqual(["holdout", "holdout", "train", "train"]);

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
