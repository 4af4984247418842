import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";

import { authenticateApiKey } from "@plumbline/db/api-keys";
import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
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
let otherProjectId = "";

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
  otherProjectId = other.id;
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
    // The router reads the clock itself; pinning it keeps the seeded minutes and the query's
    // window in the same minute however slowly the machine runs.
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
    vi.useFakeTimers({ toFake: ["Date"], now });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const minute = (ago: number) => new Date(now.getTime() - 30_000 - ago * 60_000);
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

describe("apiKeys (admin only)", () => {
  const project = { projectSlug: "lending" };
  const newKey = {
    ...project,
    name: "inference service",
    scopes: ["predictions:write", "labels:write"] as ("predictions:write" | "labels:write")[],
    modelAllowList: null,
    expiresInDays: null,
  };

  it("is forbidden to every role but admin, for list, create and revoke", async () => {
    for (const role of ["viewer", "ml_engineer", "approver"] as const) {
      const caller = callerAs(ids[role]);
      await expectTrpcError(caller.apiKeys.list(project), "FORBIDDEN");
      await expectTrpcError(caller.apiKeys.create(newKey), "FORBIDDEN");
      await expectTrpcError(
        caller.apiKeys.revoke({ ...project, apiKeyId: "00000000-0000-4000-8000-000000000000" }),
        "FORBIDDEN",
      );
    }
    await expectTrpcError(callerAs(ids.outsider).apiKeys.list(project), "NOT_FOUND");
    await expect(callerAs(ids.admin).apiKeys.list(project)).resolves.toEqual([]);
  });

  it("creates a working key, shows the token once and never lists the secret or its hash", async () => {
    const admin = createCaller(
      createInnerContext({
        db: database.db,
        userId: ids.admin,
        requestId: "req-create-1",
        ip: "203.0.113.7",
      }),
    );
    const { token, key } = await admin.apiKeys.create({
      ...newKey,
      modelAllowList: ["credit-risk"],
      expiresInDays: 30,
    });
    expect(token).toMatch(/^pl_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({
      name: "inference service",
      mode: "live",
      prefix: `pl_live_${key.keyId}_…`,
      scopes: ["predictions:write", "labels:write"],
      modelAllowList: ["credit-risk"],
      revokedAt: null,
      lastUsedAt: null,
      status: "active",
    });
    const days = (key.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThanOrEqual(30);

    const authenticated = await authenticateApiKey(database.db, token);
    expect(authenticated.ok).toBe(true);
    if (authenticated.ok) expect(authenticated.key.id).toBe(key.id);

    const list = await admin.apiKeys.list(project);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: key.id, creatorName: expect.any(String) as string });
    const listed = JSON.stringify(list);
    const secret = token.split("_").slice(3).join("_");
    expect(listed).not.toContain(secret);
    expect(list[0]).not.toHaveProperty("secretHash");
    const [stored] = await database.sql<{ secret_hash: string }[]>`
      select secret_hash from api_keys where id = ${key.id}`;
    expect(listed).not.toContain(stored!.secret_hash);

    const audit = await database.sql`
      select actor_type, actor_id, project_id, resource_id, request_id, ip, after
      from audit_log where action = 'api_key.create' and resource_id = ${key.id}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_type: "user",
      actor_id: ids.admin,
      request_id: "req-create-1",
      ip: "203.0.113.7",
      after: { keyId: key.keyId, scopes: ["predictions:write", "labels:write"] },
    });
    expect(JSON.stringify(audit[0])).not.toContain(secret);
  });

  it("revokes a key, which then stops authenticating, and refuses to revoke it twice", async () => {
    const admin = callerAs(ids.admin);
    const { token, key } = await admin.apiKeys.create({ ...newKey, name: "to revoke" });
    expect(key.expiresAt).toBeNull();
    const revoked = await admin.apiKeys.revoke({ ...project, apiKeyId: key.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expect(authenticateApiKey(database.db, token)).resolves.toEqual({
      ok: false,
      reason: "revoked",
    });
    const listed = (await admin.apiKeys.list(project)).find((row) => row.id === key.id);
    expect(listed).toMatchObject({ status: "revoked" });
    await expectTrpcError(admin.apiKeys.revoke({ ...project, apiKeyId: key.id }), "NOT_FOUND");

    const audit = await database.sql`
      select actor_type, actor_id from audit_log
      where action = 'api_key.revoke' and resource_id = ${key.id}`;
    expect(audit).toEqual([{ actor_type: "user", actor_id: ids.admin }]);
  });

  it("treats another project's key as not found and leaves it working", async () => {
    const { key, token } = await createTestApiKey(database.db, { projectId: otherProjectId });
    await expectTrpcError(
      callerAs(ids.admin).apiKeys.revoke({ ...project, apiKeyId: key.id }),
      "NOT_FOUND",
    );
    expect((await authenticateApiKey(database.db, token)).ok).toBe(true);
    const listed = await callerAs(ids.admin).apiKeys.list(project);
    expect(listed.map((row) => row.id)).not.toContain(key.id);
  });

  it("rejects an allow-list naming an unknown model, naming the slug", async () => {
    const attempt = callerAs(ids.admin).apiKeys.create({
      ...newKey,
      modelAllowList: ["credit-risk", "no-such-model"],
    });
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof TRPCError &&
        error.code === "BAD_REQUEST" &&
        error.message.includes('"no-such-model"'),
    );
  });

  it("rejects empty scopes, an empty allow-list, a blank name and an out-of-range expiry", async () => {
    const admin = callerAs(ids.admin);
    await expectTrpcError(admin.apiKeys.create({ ...newKey, scopes: [] }), "BAD_REQUEST");
    await expectTrpcError(admin.apiKeys.create({ ...newKey, modelAllowList: [] }), "BAD_REQUEST");
    await expectTrpcError(admin.apiKeys.create({ ...newKey, name: "   " }), "BAD_REQUEST");
    await expectTrpcError(
      admin.apiKeys.create({ ...newKey, name: "x".repeat(101) }),
      "BAD_REQUEST",
    );
    await expectTrpcError(admin.apiKeys.create({ ...newKey, expiresInDays: 0 }), "BAD_REQUEST");
    await expectTrpcError(admin.apiKeys.create({ ...newKey, expiresInDays: 3651 }), "BAD_REQUEST");
    await expectTrpcError(
      // A key can never approve a promotion: there is no such scope to ask for.
      admin.apiKeys.create({ ...newKey, scopes: ["promotions:approve" as "labels:write"] }),
      "BAD_REQUEST",
    );
  });
});
