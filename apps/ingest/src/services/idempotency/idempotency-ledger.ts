import type { SqlClient } from "@plumbline/db/client";
import type postgres from "postgres";

import type { DatabaseGate } from "../../backpressure/database-gate";
import { HttpError } from "../../http-errors";

/** How long a request's Idempotency-Key and response are kept. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** Longest Idempotency-Key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
  bodyHash: string;
}

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** Thrown inside a transaction whose key was committed meanwhile: roll back, then replay. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super("the Idempotency-Key was committed by a concurrent request");
    this.name = "IdempotencyKeyTaken";
  }
}

export function readIdempotencyKey(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return null;
  const key = value.trim();
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key)) {
    throw new HttpError(
      400,
      "bad_request",
      `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
    );
  }
  return key;
}

function conflict(): HttpError {
  return new HttpError(
    409,
    "idempotency_conflict",
    "This Idempotency-Key was already used with a different request body in the last 24 hours; use a new key for a new request",
  );
}

/**
 * The stored answer for this key, if a request with it committed in the last 24 hours: the
 * same body replays it, a different body is 409.
 */
export async function findStoredResponse(
  sql: SqlClient | postgres.TransactionSql,
  claim: IdempotencyClaim,
): Promise<StoredResponse | null> {
  const [row] = await sql<{ body_hash: string; status_code: number; response: unknown }[]>`
    select body_hash, status_code, response from ingest_requests
    where api_key_id = ${claim.apiKeyId} and idempotency_key = ${claim.key}
      and status_code > 0
      and created_at > now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`;
  if (!row) return null;
  if (row.body_hash !== claim.bodyHash) throw conflict();
  return { statusCode: row.status_code, body: row.response };
}

/**
 * Claims the key at the start of the write transaction. A concurrent request with the same key
 * makes this insert wait for its commit; then the key is taken and the caller replays.
 */
export async function claimIdempotencyKey(tx: postgres.TransactionSql, claim: IdempotencyClaim) {
  if (!(await tryClaimIdempotencyKey(tx, claim))) throw new IdempotencyKeyTaken();
}

/** The same, answering false instead of throwing when the key is taken (nothing is written). */
export async function tryClaimIdempotencyKey(
  tx: postgres.TransactionSql,
  claim: IdempotencyClaim,
): Promise<boolean> {
  const rows = await tx`
    insert into ingest_requests (api_key_id, idempotency_key, body_hash, status_code, response)
    values (${claim.apiKeyId}, ${claim.key}, ${claim.bodyHash}, 0, 'null'::jsonb)
    on conflict (api_key_id, idempotency_key) do update
      set body_hash = excluded.body_hash, status_code = 0, response = 'null'::jsonb,
          created_at = now()
      where ingest_requests.created_at <= now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
    returning 1`;
  return rows.length > 0;
}

/** Records the answer, in the same transaction as the request's writes. */
export async function completeIdempotencyKey(
  tx: postgres.TransactionSql,
  claim: IdempotencyClaim,
  stored: StoredResponse,
) {
  await tx`
    update ingest_requests
    set status_code = ${stored.statusCode}, response = ${JSON.stringify(stored.body)}::jsonb
    where api_key_id = ${claim.apiKeyId} and idempotency_key = ${claim.key}`;
}

/** Forgets expired keys (run by the periodic sweep; the table stays small). */
export async function deleteExpiredIdempotencyKeys(sql: SqlClient) {
  await sql`
    delete from ingest_requests
    where created_at <= now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`;
}

export type IdempotentResult<T> =
  { replayed: true; stored: StoredResponse } | { replayed: false; value: T };

/**
 * Runs a write unless its Idempotency-Key already has a committed answer, which is replayed
 * instead (409 when the body differs). A concurrent request with the same key that commits
 * first makes this one roll back and replay that request's answer.
 */
export async function runIdempotently<T>(
  sql: SqlClient,
  claim: IdempotencyClaim | null,
  write: () => Promise<T>,
  /** Runs the ledger look-ups (the bounded database queue), when `write` is not run inside it. */
  gate?: Pick<DatabaseGate, "run">,
): Promise<IdempotentResult<T>> {
  const find = (key: IdempotencyClaim) =>
    gate ? gate.run(() => findStoredResponse(sql, key)) : findStoredResponse(sql, key);
  if (claim) {
    const stored = await find(claim);
    if (stored) return { replayed: true, stored };
  }
  try {
    return { replayed: false, value: await write() };
  } catch (error) {
    if (!(error instanceof IdempotencyKeyTaken) || !claim) throw error;
    const stored = await find(claim);
    if (!stored) throw error;
    return { replayed: true, stored };
  }
}
