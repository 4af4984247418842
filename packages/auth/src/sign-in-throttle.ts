import { and, eq, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { appendAudit } from "@plumbline/db/audit";
import { signInThrottle } from "@plumbline/db/schema";

export type ThrottleScope = "account" | "address";

/**
 * How sign-in failures slow down (docs/sign-in-throttling.md). An account gets a few free
 * failures, then waits 1 s, 2 s, 4 s... up to 15 minutes per further failure. An address gets
 * more free failures (offices and NATs share one), then the same ladder. Failures older than
 * `forgetAfterMs` are forgotten; a successful sign-in clears its account's count.
 */
export const SIGN_IN_THROTTLE = {
  freeFailures: { account: 5, address: 20 } satisfies Record<ThrottleScope, number>,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60 * 1_000,
  forgetAfterMs: 60 * 60 * 1_000,
};

/** The wait imposed after `failures` consecutive failures in a scope (0 while still free). */
export function throttleDelayMs(scope: ThrottleScope, failures: number): number {
  const beyond = failures - SIGN_IN_THROTTLE.freeFailures[scope];
  if (beyond <= 0) return 0;
  // 2^(beyond - 1) seconds, computed without overflow for large counts.
  const exponent = Math.min(beyond - 1, 30);
  return Math.min(SIGN_IN_THROTTLE.baseDelayMs * 2 ** exponent, SIGN_IN_THROTTLE.maxDelayMs);
}

export interface SignInAttempt {
  /** The email as typed; throttled lower-cased and trimmed, whether or not an account has it. */
  email: string;
  /** The client address (see client-address.ts), or null when it is unknown. */
  address: string | null;
}

function keysOf(attempt: SignInAttempt): { scope: ThrottleScope; key: string }[] {
  const keys: { scope: ThrottleScope; key: string }[] = [
    { scope: "account", key: attempt.email.trim().toLowerCase() },
  ];
  if (attempt.address) keys.push({ scope: "address", key: attempt.address });
  return keys;
}

/**
 * Milliseconds this attempt must still wait (0: it may go ahead). Checked before any password
 * hash is computed, so a throttled attempt costs one indexed read.
 */
export async function signInWaitMs(
  db: Database,
  attempt: SignInAttempt,
  now: Date = new Date(),
): Promise<number> {
  let wait = 0;
  for (const { scope, key } of keysOf(attempt)) {
    const [row] = await db
      .select({ blockedUntil: signInThrottle.blockedUntil })
      .from(signInThrottle)
      .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)));
    if (row?.blockedUntil) wait = Math.max(wait, row.blockedUntil.getTime() - now.getTime());
  }
  return wait;
}

/**
 * Counts one failure against the account and the address, sets how long each must now wait,
 * and audits a lockout (the failure that first makes a scope wait) in the same transaction.
 */
export async function recordSignInFailure(
  db: Database,
  attempt: SignInAttempt,
  now: Date = new Date(),
): Promise<void> {
  const forgetBefore = new Date(now.getTime() - SIGN_IN_THROTTLE.forgetAfterMs);
  await db.transaction(async (tx) => {
    for (const { scope, key } of keysOf(attempt)) {
      const [row] = await tx
        .insert(signInThrottle)
        .values({ scope, key, failures: 1, lastFailureAt: now })
        .onConflictDoUpdate({
          target: [signInThrottle.scope, signInThrottle.key],
          set: {
            failures: sql`case when ${signInThrottle.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz
              then 1 else ${signInThrottle.failures} + 1 end`,
            lastFailureAt: now,
          },
        })
        .returning({ failures: signInThrottle.failures });
      const failures = row!.failures;
      const delay = throttleDelayMs(scope, failures);
      if (delay === 0) continue;
      const blockedUntil = new Date(now.getTime() + delay);
      await tx
        .update(signInThrottle)
        .set({ blockedUntil })
        .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)));
      if (failures === SIGN_IN_THROTTLE.freeFailures[scope] + 1) {
        await appendAudit(
          tx,
          { type: "system", id: "sign-in-throttle" },
          {
            action: "sign_in.locked",
            resourceType: scope === "account" ? "sign_in_account" : "sign_in_address",
            resourceId: key,
            after: { failures, blockedUntil: blockedUntil.toISOString() },
            ip: attempt.address,
          },
        );
      }
    }
  });
}

/** A successful sign-in clears its account's failures (never the address's: see the doc). */
export async function recordSignInSuccess(db: Database, attempt: SignInAttempt): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(
      and(
        eq(signInThrottle.scope, "account"),
        eq(signInThrottle.key, attempt.email.trim().toLowerCase()),
      ),
    );
}
