import { eq, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { getDecoyPasswordHash, verifyPassword } from "@plumbline/db/passwords";
import { users } from "@plumbline/db/schema";

import { passwordHashingSlots } from "./hashing-slots";
import {
  recordSignInFailure,
  recordSignInSuccess,
  signInWaitMs,
  type SignInAttempt,
} from "./sign-in-throttle";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/**
 * Checks an email and password. Returns null for every failure (unknown email, wrong
 * password, disabled account, OIDC-only account), and verifies against a decoy hash when the
 * user does not exist, so neither the answer nor its timing tells whether the email is known.
 * At most `PASSWORD_HASHING_CONCURRENCY` hashes run at once; the rest queue.
 */
export async function verifyCredentials(
  db: Database,
  email: string,
  password: string,
): Promise<SignedInUser | null> {
  const user = await db.query.users.findFirst({
    where: eq(sql`lower(${users.email})`, email.trim().toLowerCase()),
  });
  const hash = user?.passwordHash ?? (await getDecoyPasswordHash());
  const passwordMatches = await passwordHashingSlots.run(() => verifyPassword(hash, password));
  if (!user || !user.passwordHash || !passwordMatches || user.disabledAt) return null;
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name };
}

export type PasswordSignIn =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid_credentials" }
  /** Too many recent failures for this email or this address: nothing was checked. */
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * The password sign-in: refuses at once while the account or the address must wait (no hash is
 * computed), otherwise checks the credentials and counts a failure or clears the account's.
 */
export async function signInWithPassword(
  db: Database,
  attempt: SignInAttempt & { password: string },
  now: () => Date = () => new Date(),
): Promise<PasswordSignIn> {
  const wait = await signInWaitMs(db, attempt, now());
  if (wait > 0)
    return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };
  const user = await verifyCredentials(db, attempt.email, attempt.password);
  if (!user) {
    await recordSignInFailure(db, attempt, now());
    return { ok: false, reason: "invalid_credentials" };
  }
  await recordSignInSuccess(db, attempt);
  return { ok: true, user };
}
