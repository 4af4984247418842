import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyCredentials } from "@plumbline/auth/credentials";
import { createProject, createUser, grantRole } from "@plumbline/db/factories";
import { auditLog } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createCaller, createInnerContext } from "../src";

let database: TestDatabase;
let projectId = "";

const callerAs = (userId: string | null) =>
  createCaller(
    createInnerContext({ db: database.db, userId, requestId: "req-me-test", ip: "10.0.0.7" }),
  );

async function expectTrpcError(
  promise: Promise<unknown>,
  code: TRPCError["code"],
  message?: RegExp,
) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) =>
      error instanceof TRPCError &&
      error.code === code &&
      (!message || message.test(error.message)),
  );
}

/** A viewer of the test project whose one-time password is `password`. */
async function createOneTimePasswordUser(password: string) {
  const user = await createUser(database.db, { password, mustChangePassword: true });
  await grantRole(database.db, { userId: user.id, projectId, role: "viewer" });
  return user;
}

beforeAll(async () => {
  database = await createTestDatabase();
  projectId = (await createProject(database.db, { slug: "me-test" })).id;
});
afterAll(async () => {
  await database.drop();
});

describe("me.get", () => {
  it("says whether the one-time password must still be replaced", async () => {
    const fresh = await createOneTimePasswordUser("one-time-1");
    await expect(callerAs(fresh.id).me.get()).resolves.toMatchObject({
      user: { id: fresh.id, email: fresh.email },
      mustChangePassword: true,
    });
    const settled = await createUser(database.db, { password: "whatever" });
    await expect(callerAs(settled.id).me.get()).resolves.toMatchObject({
      mustChangePassword: false,
    });
  });
});

describe("a one-time password", () => {
  it("opens nothing but me.get and me.changePassword until it is replaced", async () => {
    const user = await createOneTimePasswordUser("one-time-3");
    const projectSlug = "me-test";
    await expectTrpcError(
      callerAs(user.id).models.list({ projectSlug }),
      "FORBIDDEN",
      /one-time password/,
    );
    await expect(callerAs(user.id).me.get()).resolves.toMatchObject({ mustChangePassword: true });

    await callerAs(user.id).me.changePassword({
      currentPassword: "one-time-3",
      newPassword: "correct horse battery",
    });
    await expect(callerAs(user.id).models.list({ projectSlug })).resolves.toBeDefined();
  });
});

describe("me.changePassword", () => {
  const valid = { currentPassword: "one-time-2", newPassword: "correct horse battery" };

  it("refuses a signed-out caller", async () => {
    await expectTrpcError(callerAs(null).me.changePassword(valid), "UNAUTHORIZED");
  });

  it("answers BAD_REQUEST with the reason for a wrong current password", async () => {
    const user = await createOneTimePasswordUser("one-time-2");
    await expectTrpcError(
      callerAs(user.id).me.changePassword({ ...valid, currentPassword: "not it" }),
      "BAD_REQUEST",
      /current password is not correct/,
    );
    await expect(callerAs(user.id).me.get()).resolves.toMatchObject({ mustChangePassword: true });
  });

  it("answers BAD_REQUEST naming the rule for a weak new password", async () => {
    const user = await createOneTimePasswordUser("one-time-2");
    await expectTrpcError(
      callerAs(user.id).me.changePassword({ ...valid, newPassword: "too short" }),
      "BAD_REQUEST",
      /at least 12 characters/,
    );
    await expectTrpcError(
      callerAs(user.id).me.changePassword({ ...valid, newPassword: user.email }),
      "BAD_REQUEST",
      /must not be your email address/,
    );
  });

  it("replaces the password, clears the flag and writes the audit row", async () => {
    const user = await createOneTimePasswordUser("one-time-2");
    await expect(callerAs(user.id).me.changePassword(valid)).resolves.toEqual({ ok: true });

    await expect(callerAs(user.id).me.get()).resolves.toMatchObject({ mustChangePassword: false });
    await expect(
      verifyCredentials(database.db, user.email, valid.newPassword),
    ).resolves.toMatchObject({ id: user.id });
    await expect(verifyCredentials(database.db, user.email, "one-time-2")).resolves.toBeNull();

    const rows = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.password_changed"), eq(auditLog.actorId, user.id)));
    expect(rows).toEqual([
      expect.objectContaining({
        actorType: "user",
        actorId: user.id,
        resourceType: "user",
        resourceId: user.id,
        requestId: "req-me-test",
        ip: "10.0.0.7",
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(valid.newPassword);
  });
});
