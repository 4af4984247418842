import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createUser } from "@plumbline/db/factories";
import { userSessions, users } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { changePassword } from "../src/change-password";
import {
  endOtherSessions,
  endSession,
  isSessionOpen,
  purgeFinishedSessions,
  SESSION_ABSOLUTE_LIFETIME_DAYS,
  startSession,
} from "../src/sessions";

const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

async function ageSession(sessionId: string, fields: { createdAt?: Date; endedAt?: Date }) {
  await database.db.update(userSessions).set(fields).where(eq(userSessions.id, sessionId));
}

async function sessionExists(sessionId: string) {
  const rows = await database.db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(eq(userSessions.id, sessionId));
  return rows.length === 1;
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("server-side sessions", () => {
  it("a session is open from sign-in until sign-out, and ending it twice is harmless", async () => {
    const user = await createUser(database.db, { email: "s1@example.test" });
    const sessionId = await startSession(database.db, user.id);
    expect(await isSessionOpen(database.db, sessionId, user.id)).toBe(true);

    await endSession(database.db, sessionId);
    expect(await isSessionOpen(database.db, sessionId, user.id)).toBe(false);
    const [row] = await database.db
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, sessionId));
    expect(row).toMatchObject({ endReason: "signed_out" });
    const endedAt = row!.endedAt;
    expect(endedAt).toBeInstanceOf(Date);

    await endSession(database.db, sessionId, "password_changed");
    const [again] = await database.db
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, sessionId));
    expect(again).toMatchObject({ endReason: "signed_out", endedAt });
  });

  it("a session id does not open another user's account", async () => {
    const owner = await createUser(database.db, { email: "s2@example.test" });
    const other = await createUser(database.db, { email: "s3@example.test" });
    const sessionId = await startSession(database.db, owner.id);
    expect(await isSessionOpen(database.db, sessionId, other.id)).toBe(false);
  });

  it("disabling the account closes its open sessions at the next request", async () => {
    const user = await createUser(database.db, { email: "s4@example.test" });
    const sessionId = await startSession(database.db, user.id);
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect(await isSessionOpen(database.db, sessionId, user.id)).toBe(false);
  });

  it("ends every other session of the user and leaves other users alone", async () => {
    const user = await createUser(database.db, { email: "s5@example.test" });
    const bystander = await createUser(database.db, { email: "s6@example.test" });
    const current = await startSession(database.db, user.id);
    const laptop = await startSession(database.db, user.id);
    const phone = await startSession(database.db, user.id);
    const theirs = await startSession(database.db, bystander.id);

    const ended = await endOtherSessions(database.db, user.id, current, "password_changed");
    expect(ended).toBe(2);
    expect(await isSessionOpen(database.db, current, user.id)).toBe(true);
    expect(await isSessionOpen(database.db, laptop, user.id)).toBe(false);
    expect(await isSessionOpen(database.db, phone, user.id)).toBe(false);
    expect(await isSessionOpen(database.db, theirs, bystander.id)).toBe(true);
  });

  it("changing the password signs out the user's other sessions, not the one changing it", async () => {
    const user = await createUser(database.db, {
      email: "s7@example.test",
      password: "the old passphrase",
    });
    const current = await startSession(database.db, user.id);
    const stolen = await startSession(database.db, user.id);

    const result = await changePassword(
      database.db,
      {
        userId: user.id,
        currentPassword: "the old passphrase",
        newPassword: "a new long passphrase",
      },
      { sessionId: current },
    );
    expect(result).toEqual({ ok: true });
    expect(await isSessionOpen(database.db, current, user.id)).toBe(true);
    expect(await isSessionOpen(database.db, stolen, user.id)).toBe(false);
    const [row] = await database.db.select().from(userSessions).where(eq(userSessions.id, stolen));
    expect(row?.endReason).toBe("password_changed");
  });

  it("a session in constant use still ends at its absolute lifetime", async () => {
    const user = await createUser(database.db, { email: "s8@example.test" });
    const young = await startSession(database.db, user.id);
    const old = await startSession(database.db, user.id);
    await ageSession(young, { createdAt: daysAgo(SESSION_ABSOLUTE_LIFETIME_DAYS - 1) });
    await ageSession(old, { createdAt: daysAgo(SESSION_ABSOLUTE_LIFETIME_DAYS + 0.01) });
    expect(await isSessionOpen(database.db, young, user.id)).toBe(true);
    expect(await isSessionOpen(database.db, old, user.id)).toBe(false);
  });

  it("purges only sessions finished more than a week ago", async () => {
    const user = await createUser(database.db, { email: "s9@example.test" });
    const open = await startSession(database.db, user.id);
    const endedYesterday = await startSession(database.db, user.id);
    const endedLongAgo = await startSession(database.db, user.id);
    const expiredLongAgo = await startSession(database.db, user.id);
    const justExpired = await startSession(database.db, user.id);
    await ageSession(endedYesterday, { endedAt: daysAgo(1) });
    await ageSession(endedLongAgo, { createdAt: daysAgo(10), endedAt: daysAgo(8) });
    await ageSession(expiredLongAgo, { createdAt: daysAgo(SESSION_ABSOLUTE_LIFETIME_DAYS + 8) });
    await ageSession(justExpired, { createdAt: daysAgo(SESSION_ABSOLUTE_LIFETIME_DAYS + 1) });

    expect(await purgeFinishedSessions(database.db)).toBeGreaterThanOrEqual(2);
    expect(await sessionExists(open)).toBe(true);
    expect(await sessionExists(endedYesterday)).toBe(true);
    expect(await sessionExists(justExpired)).toBe(true);
    expect(await sessionExists(endedLongAgo)).toBe(false);
    expect(await sessionExists(expiredLongAgo)).toBe(false);
  });
});
