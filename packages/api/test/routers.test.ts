import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
} from "@plumbline/db/factories";
import { predictionRollupsMinute } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createCaller, createInnerContext } from "../src";

let database: TestDatabase;
const ids: Record<"viewer" | "ml_engineer" | "approver" | "admin" | "outsider", string> = {
  viewer: "",
  ml_engineer: "",
  approver: "",
  admin: "",
  outsider: "",
};
let modelId = "";

const callerAs = (userId: string | null) =>
  createCaller(createInnerContext({ db: database.db, userId }));

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof TRPCError && error.code === code,
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const project = await createProject(database.db, { slug: "lending", name: "Lending" });
  const other = await createProject(database.db, { slug: "other" });
  for (const role of ["viewer", "ml_engineer", "approver", "admin"] as const) {
    ids[role] = (await createMember(database.db, { projectId: project.id, role })).id;
  }
  ids.outsider = (await createMember(database.db, { projectId: other.id, role: "admin" })).id;
  const model = await createModel(database.db, { projectId: project.id, slug: "credit-risk" });
  modelId = model.id;
  await createModelVersion(database.db, { modelId, version: "1" });
  await createModelVersion(database.db, { modelId, version: "2" });
});
afterAll(async () => {
  await database.drop();
});

describe("authentication", () => {
  it("refuses every procedure to a signed-out caller", async () => {
    await expectTrpcError(callerAs(null).me.get(), "UNAUTHORIZED");
    await expectTrpcError(callerAs(null).models.list({ projectSlug: "lending" }), "UNAUTHORIZED");
  });

  it("refuses a session whose user no longer exists", async () => {
    await expectTrpcError(
      callerAs("00000000-0000-4000-8000-000000000000").me.get(),
      "UNAUTHORIZED",
    );
  });
});

describe("me.get", () => {
  it("lists the projects and permissions of the user's role", async () => {
    const me = await callerAs(ids.viewer).me.get();
    expect(me.projects).toHaveLength(1);
    expect(me.projects[0]).toMatchObject({ slug: "lending", role: "viewer" });
    expect(me.projects[0]!.permissions).toEqual(["dashboard.read"]);
  });
});

describe("models", () => {
  it("lists models for every role of the project", async () => {
    for (const role of ["viewer", "ml_engineer", "approver", "admin"] as const) {
      const models = await callerAs(ids[role]).models.list({ projectSlug: "lending" });
      expect(models.map((model) => model.slug)).toEqual(["credit-risk"]);
      expect(models[0]!.versionCount).toBe(2);
    }
  });

  it("hides another project's models as not found", async () => {
    await expectTrpcError(
      callerAs(ids.outsider).models.list({ projectSlug: "lending" }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      callerAs(ids.viewer).models.get({ projectSlug: "lending", modelSlug: "nope" }),
      "NOT_FOUND",
    );
  });

  it("serves per-minute volume and mean confidence from the rollups", async () => {
    const minute = (ago: number) => {
      const start = Math.floor(Date.now() / 60_000) * 60_000;
      return new Date(start - ago * 60_000);
    };
    await database.db.insert(predictionRollupsMinute).values([
      {
        modelId,
        minute: minute(0),
        version: "1",
        deployment: "stable",
        count: 30,
        scoreCount: 30,
        scoreSum: 24,
      },
      {
        modelId,
        minute: minute(0),
        version: "2",
        deployment: "canary",
        count: 10,
        scoreCount: 10,
        scoreSum: 6,
      },
      {
        modelId,
        minute: minute(5),
        version: "1",
        deployment: "stable",
        count: 20,
        scoreCount: 10,
        scoreSum: 5,
        errorCount: 2,
      },
      // Outside the window: must not count.
      {
        modelId,
        minute: minute(90),
        version: "1",
        deployment: "stable",
        count: 1000,
        scoreCount: 1000,
        scoreSum: 1000,
      },
    ]);
    const metrics = await callerAs(ids.viewer).models.liveMetrics({
      projectSlug: "lending",
      modelSlug: "credit-risk",
    });
    expect(metrics.points).toHaveLength(60);
    expect(metrics.totals.count).toBe(60);
    expect(metrics.totals.errorCount).toBe(2);
    expect(metrics.totals.meanScore).toBeCloseTo(35 / 50, 12);
    expect(metrics.versions).toEqual(["1", "2"]);
    const last = metrics.points.at(-1)!;
    expect(last).toMatchObject({
      count: 40,
      canaryCount: 10,
      countByVersion: { "1": 30, "2": 10 },
    });
    expect(last.meanScore).toBeCloseTo(0.75, 12);
    const fiveAgo = metrics.points.at(-6)!;
    expect(fiveAgo.count).toBe(20);
    expect(fiveAgo.meanScore).toBeCloseTo(0.5, 12);
    expect(metrics.points.at(-2)).toMatchObject({ count: 0, meanScore: null });

    const list = await callerAs(ids.viewer).models.list({ projectSlug: "lending" });
    expect(list[0]!.lastHourCount).toBe(60);
  });
});

describe("members (admin only)", () => {
  it("is forbidden to every role but admin", async () => {
    for (const role of ["viewer", "ml_engineer", "approver"] as const) {
      await expectTrpcError(
        callerAs(ids[role]).members.list({ projectSlug: "lending" }),
        "FORBIDDEN",
      );
      await expectTrpcError(
        callerAs(ids[role]).members.setRole({
          projectSlug: "lending",
          userId: ids.viewer,
          role: "admin",
        }),
        "FORBIDDEN",
      );
    }
    const members = await callerAs(ids.admin).members.list({ projectSlug: "lending" });
    expect(members).toHaveLength(4);
  });

  it("changes a role with an audit row, effective on the next request", async () => {
    await expectTrpcError(
      callerAs(ids.viewer).members.list({ projectSlug: "lending" }),
      "FORBIDDEN",
    );
    await callerAs(ids.admin).members.setRole({
      projectSlug: "lending",
      userId: ids.viewer,
      role: "admin",
    });
    await expect(
      callerAs(ids.viewer).members.list({ projectSlug: "lending" }),
    ).resolves.toHaveLength(4);
    const audit = await database.sql`
      select actor_id, action, before, after from audit_log where action = 'member.role_set'`;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: ids.admin,
      before: { role: "viewer" },
      after: { role: "admin" },
    });
    await callerAs(ids.admin).members.setRole({
      projectSlug: "lending",
      userId: ids.viewer,
      role: "viewer",
    });
  });

  it("refuses to change one's own role", async () => {
    await expectTrpcError(
      callerAs(ids.admin).members.setRole({
        projectSlug: "lending",
        userId: ids.admin,
        role: "viewer",
      }),
      "BAD_REQUEST",
    );
  });
});
