import { and, eq, gt, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";

import type { Database, DatabaseOrTransaction } from "@plumbline/db/client";
import { userSessions, users } from "@plumbline/db/schema";

export type SessionEndReason = "signed_out" | "password_changed";

/**
 * A session cookie slides (each request renews its 12-hour idle limit), so a session also has an
 * absolute limit: after 30 days its holder signs in again, whatever they did in between.
 */
export const SESSION_ABSOLUTE_LIFETIME_DAYS = 30;

const lifetime = sql.raw(`interval '${SESSION_ABSOLUTE_LIFETIME_DAYS} days'`);

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
        gt(userSessions.createdAt, sql`now() - ${lifetime}`),
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

/**
 * Deletes the rows of sessions that can never be used again (ended, or past the absolute
 * lifetime) once they are a week past that point, so the table stays the size of the active
 * user base. Returns how many rows went.
 */
export async function purgeFinishedSessions(db: DatabaseOrTransaction): Promise<number> {
  const removed = await db
    .delete(userSessions)
    .where(
      or(
        and(
          isNotNull(userSessions.endedAt),
          lt(userSessions.endedAt, sql`now() - interval '7 days'`),
        ),
        lt(userSessions.createdAt, sql`now() - ${lifetime} - interval '7 days'`),
      ),
    )
    .returning({ id: userSessions.id });
  return removed.length;
}
