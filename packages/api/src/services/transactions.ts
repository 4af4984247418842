import { setTimeout as sleep } from "node:timers/promises";

import { sql } from "drizzle-orm";

import type { Database, Transaction } from "@plumbline/db/client";

/** Another writer changed the row between our read and our write (optimistic locking). */
export class OptimisticLockConflict extends Error {
  override name = "OptimisticLockConflict";
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);

function sqlState(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { code, constraint_name: name } = current as {
      code?: unknown;
      constraint_name?: unknown;
    };
    if (code === "23505") return constraint === undefined || name === constraint;
  }
  return false;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof OptimisticLockConflict) return true;
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

export const DEFAULT_TRANSACTION_ATTEMPTS = 8;

/**
 * Runs `work` in a transaction and runs it again, from a fresh read, when it lost an optimistic
 * lock, a deadlock or a serialization race, at most `attempts` times with a short jittered pause.
 * The work must therefore re-read everything it decides on inside the transaction.
 */
export async function withRetryingTransaction<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
  attempts = DEFAULT_TRANSACTION_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(Math.round(Math.random() * 5 * attempt));
    }
  }
}

/**
 * Serialises writers about one governance subject (a model version, an environment) for the rest
 * of the transaction, so that a change to the evidence and the creation of a request that
 * snapshots it can never interleave.
 */
export async function lockSubject(
  tx: Transaction,
  kind: "model_version" | "environment",
  id: string,
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`plumbline.${kind}:${id}`}))`);
}
