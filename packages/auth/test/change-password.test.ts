import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createUser } from "@plumbline/db/factories";
import { auditLog, users } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { changePassword } from "../src/change-password";
import { verifyCredentials } from "../src/credentials";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function auditRowsFor(userId: string) {
  return database.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.resourceId, userId))
    .orderBy(auditLog.seq);
}

async function loadUser(userId: string) {
  return (await database.db.query.users.findFirst({ where: eq(users.id, userId) }))!;
}

describe("changePassword", () => {
  it("replaces the password, clears the one-time flag and audits without secrets", async () => {
    const user = await createUser(database.db, {
      email: "first@example.test",
      password: "one-time-pw",
      mustChangePassword: true,
    });
    const result = await changePassword(
      database.db,
      { userId: user.id, currentPassword: "one-time-pw", newPassword: "a much better passphrase" },
      { requestId: "req-1", ip: "127.0.0.1" },
    );
    expect(result).toEqual({ ok: true });

    const stored = await loadUser(user.id);
    expect(stored.mustChangePassword).toBe(false);
    expect(stored.passwordHash).not.toBe(user.passwordHash);
    await expect(
      verifyCredentials(database.db, "first@example.test", "a much better passphrase"),
    ).resolves.toMatchObject({ id: user.id });
    await expect(
      verifyCredentials(database.db, "first@example.test", "one-time-pw"),
    ).resolves.toBeNull();

    const rows = await auditRowsFor(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorType: "user",
      actorId: user.id,
      action: "user.password_changed",
      resourceType: "user",
      resourceId: user.id,
      before: { mustChangePassword: true },
      after: { mustChangePassword: false, endedSessions: 0 },
      requestId: "req-1",
      ip: "127.0.0.1",
    });
    const recorded = JSON.stringify(rows[0]);
    for (const secret of ["one-time-pw", "a much better passphrase", "$argon2"]) {
      expect(recorded).not.toContain(secret);
    }
  });

  it("refuses a wrong current password and changes nothing", async () => {
    const user = await createUser(database.db, {
      password: "the right one",
      mustChangePassword: true,
    });
    await expect(
      changePassword(database.db, {
        userId: user.id,
        currentPassword: "the wrong one",
        newPassword: "a perfectly fine new password",
      }),
    ).resolves.toEqual({
      ok: false,
      reason: "wrong_current_password",
      message: "The current password is not correct.",
    });
    const stored = await loadUser(user.id);
    expect(stored.passwordHash).toBe(user.passwordHash);
    expect(stored.mustChangePassword).toBe(true);
    expect(await auditRowsFor(user.id)).toHaveLength(0);
  });

  it.each([
    ["too short", () => "short-pw", /at least 12 characters/],
    ["too long", () => "x".repeat(257), /at most 256 characters/],
    ["the current one", () => "current password", /different from the current one/],
    ["the email", (email: string) => email.toUpperCase(), /must not be your email address/],
  ])("refuses a new password that is %s, naming the rule", async (_label, pick, rule) => {
    const user = await createUser(database.db, { password: "current password" });
    const result = await changePassword(database.db, {
      userId: user.id,
      currentPassword: "current password",
      newPassword: pick(user.email),
    });
    expect(result).toMatchObject({ ok: false, reason: "weak_password" });
    expect(result.ok ? "" : result.message).toMatch(rule);
    expect((await loadUser(user.id)).passwordHash).toBe(user.passwordHash);
    expect(await auditRowsFor(user.id)).toHaveLength(0);
  });

  it("lets only one of two concurrent changes from the same old password win", async () => {
    const user = await createUser(database.db, { password: "shared old password" });
    const results = await Promise.all(
      ["first new password", "second new password"].map((newPassword) =>
        changePassword(database.db, {
          userId: user.id,
          currentPassword: "shared old password",
          newPassword,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({
      reason: "wrong_current_password",
    });
    expect(await auditRowsFor(user.id)).toHaveLength(1);
  });

  it("has no password to change on an account that signs in through single sign-on", async () => {
    const user = await createUser(database.db, { password: null });
    await expect(
      changePassword(database.db, {
        userId: user.id,
        currentPassword: "anything at all",
        newPassword: "a perfectly fine new password",
      }),
    ).resolves.toMatchObject({ ok: false, reason: "wrong_current_password" });
  });
});
