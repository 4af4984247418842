import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isSessionOpen, startSession } from "@plumbline/auth/sessions";
import { createUser } from "@plumbline/db/factories";
import { userSessions } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { purgeSessions } from "../src/jobs/purge-sessions";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("purge-sessions", () => {
  it("deletes a session that ended weeks ago and keeps the open one", async () => {
    const user = await createUser(database.db, { email: "purge@example.test" });
    const open = await startSession(database.db, user.id);
    const finished = await startSession(database.db, user.id);
    const longAgo = new Date(Date.now() - 20 * 24 * 60 * 60 * 1000);
    await database.db
      .update(userSessions)
      .set({ createdAt: longAgo, endedAt: longAgo, endReason: "signed_out" })
      .where(eq(userSessions.id, finished));

    await expect(purgeSessions(database.db)).resolves.toEqual({ purged: 1 });
    const left = await database.db
      .select({ id: userSessions.id })
      .from(userSessions)
      .where(eq(userSessions.userId, user.id));
    expect(left.map((row) => row.id)).toEqual([open]);
    expect(await isSessionOpen(database.db, open, user.id)).toBe(true);
  });
});
