import { and, eq, isNull, ne } from "drizzle-orm";

import type { Database, DatabaseOrTransaction } from "@plumbline/db/client";
import { userSessions, users } from "@plumbline/db/schema";

export type SessionEndReason = "signed_out" | "password_changed";

/** Opens a session for a user who has just proved who they are; returns its id for the cookie. */
export async function startSession(db: Database, userId: string): Promise<string> {
  const [session] = await db
    .insert(userSessions)
    .values({ userId })
    .returning({ id: userSessions.id });
  if (!session) throw new Error(`startSession: no session row for user ${userId}.`);
  return session.id;
}

/**
 * Whether a session cookie still stands for a signed-in person: its session is open and
 * belongs to this user, and the account is not disabled. One indexed lookup per request.
 */
export async function isSessionOpen(
  db: Database,
  sessionId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, sessionId),
        eq(userSessions.userId, userId),
        isNull(userSessions.endedAt),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Ends one session; later requests carrying its cookie are treated as signed out. */
export async function endSession(
  db: Database,
  sessionId: string,
  reason: SessionEndReason = "signed_out",
): Promise<void> {
  await db
    .update(userSessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)));
}

/**
 * Ends every open session of a user except the one making the request (after a password change,
 * a stolen cookie must stop working; the person changing the password stays signed in).
 */
export async function endOtherSessions(
  db: DatabaseOrTransaction,
  userId: string,
  keepSessionId: string | null,
  reason: SessionEndReason,
): Promise<number> {
  const ended = await db
    .update(userSessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(
      and(
        eq(userSessions.userId, userId),
        isNull(userSessions.endedAt),
        keepSessionId ? ne(userSessions.id, keepSessionId) : undefined,
      ),
    )
    .returning({ id: userSessions.id });
  return ended.length;
}
