import type postgres from "postgres";

import {
  aggregateFeatureBins,
  mergeFeatureBinRollups,
  type FeatureBinRollup,
} from "../rollups/feature-bins";
import {
  completeIdempotencyKey,
  IdempotencyKeyTaken,
  tryClaimIdempotencyKey,
  type IdempotencyClaim,
  type StoredResponse,
} from "../idempotency/idempotency-ledger";
import { joinPendingLabels } from "../labels/join-pending-labels";
import { addToKeyCounters, type KeyCounts } from "../status/key-counters";
import { aggregateMinuteRollups, aggregateSegmentRollups } from "../rollups/minute-rollups";
import {
  PREDICTION_COLUMN_TYPES,
  PREDICTION_COPY_COLUMNS,
  type PreparedPrediction,
} from "./prediction-rows";
import type { BinningProfile } from "../reference-profiles/reference-profile-cache";
import {
  addFeatureBinRollups,
  addMinuteRollups,
  addSegmentRollups,
} from "../rollups/rollup-writes";
import { textArray } from "../sql/sql-arrays";

export interface StoreConflict {
  prediction: PreparedPrediction;
  message: string;
}

export interface StoreOutcome {
  accepted: PreparedPrediction[];
  duplicates: PreparedPrediction[];
  conflicts: StoreConflict[];
}

/** What the transaction records besides the predictions: the key's counters, the ledger. */
export interface StoreBookkeeping {
  idempotency: IdempotencyClaim | null;
  /** Builds the response and the counters (null: none) from the outcome, inside the transaction. */
  finish: (outcome: StoreOutcome) => { response: StoredResponse; counts: KeyCounts | null };
}

/** Longest wait for the server to confirm a COPY before the request fails with 503. */
const COPY_CONFIRMATION_TIMEOUT_MS = 30_000;
const COPY_SQL = `copy predictions (${PREDICTION_COPY_COLUMNS.join(", ")}) from stdin`;

function byKey(a: PreparedPrediction, b: PreparedPrediction): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function describeRecord(prediction: PreparedPrediction): string {
  return `prediction_id "${prediction.predictionId}" of model "${prediction.modelSlug}" version "${prediction.version}"`;
}

/** One request's write: its prepared records, their profiles and its bookkeeping. */
export interface StoreRequest {
  prepared: readonly PreparedPrediction[];
  profilesOf: (modelId: string, version: string) => readonly BinningProfile[];
  bookkeeping: StoreBookkeeping;
}

/** What a request's write came to inside a shared transaction (valid once it commits). */
export type StoreResult =
  | { stored: true; outcome: StoreOutcome; response: StoredResponse }
  /** Its Idempotency-Key was committed by another request: nothing of it was written. */
  | { stored: false };

/**
 * Stores prepared predictions in a transaction the caller owns (CloudEvents join halves in it
 * first): the Idempotency-Key claim, dedup keys, raw rows (COPY), rollup increments, label joins,
 * the key's counters and the ledger's response commit together or not at all. A record already
 * stored with the same payload is a duplicate (a safe retry); with a different payload it is a
 * conflict. Partitions for the records' days must exist before this runs.
 */
export async function storePredictionsInTransaction(
  tx: postgres.TransactionSql,
  prepared: readonly PreparedPrediction[],
  profilesOf: (modelId: string, version: string) => readonly BinningProfile[],
  bookkeeping: StoreBookkeeping,
): Promise<{ outcome: StoreOutcome; response: StoredResponse }> {
  const [result] = await storePredictionGroup(tx, [{ prepared, profilesOf, bookkeeping }]);
  if (!result?.stored) throw new IdempotencyKeyTaken();
  return result;
}

interface MemberState {
  request: StoreRequest;
  unique: PreparedPrediction[];
  repeats: PreparedPrediction[];
  conflicts: StoreConflict[];
  claimed: boolean;
  inserted?: Promise<PreparedPrediction[]>;
}

/**
 * Stores several requests' writes in the caller's transaction (group commit), each exactly as
 * if it ran alone and the requests committed one after another in this order: each one's
 * Idempotency-Key claim, dedup keys, conflicts, response and counters are its own; the raw rows
 * go in one COPY and the rollups in one upsert per table, which sum to the same (rollups only
 * add). A request whose Idempotency-Key is taken writes nothing (`stored: false`).
 */
export async function storePredictionGroup(
  tx: postgres.TransactionSql,
  requests: readonly StoreRequest[],
): Promise<StoreResult[]> {
  const members: MemberState[] = requests.map((request) => {
    // A prediction repeated within the batch shares the fate of its first occurrence, unless
    // its payload differs, which is a conflict whatever the database holds.
    const firsts = new Map<string, PreparedPrediction>();
    const repeats: PreparedPrediction[] = [];
    const conflicts: StoreConflict[] = [];
    for (const prediction of request.prepared) {
      const first = firsts.get(prediction.key);
      if (!first) firsts.set(prediction.key, prediction);
      else if (first.hash === prediction.hash) repeats.push(prediction);
      else {
        conflicts.push({
          prediction,
          message: `${describeRecord(prediction)} appears earlier in this batch (index ${first.index}) with a different payload`,
        });
      }
    }
    // Every transaction takes its key locks in the same order, so two overlapping batches wait
    // for each other instead of deadlocking.
    const unique = [...firsts.values()].sort(byKey);
    return { request, unique, repeats, conflicts, claimed: true };
  });

  // Statements are pipelined: postgres.js sends them back to back on the transaction's
  // connection and the server runs them in order, so each member sees the writes of the
  // members before it, as if they had committed first.
  await Promise.all(
    members.map(async (member) => {
      const claim = member.request.bookkeeping.idempotency;
      if (claim) member.claimed = await tryClaimIdempotencyKey(tx, claim);
    }),
  );
  for (const member of members) {
    if (member.claimed) member.inserted = insertDedupKeys(tx, member.unique);
  }
  const claimedKeys = await Promise.all(
    members.map(async (member) => {
      if (!member.inserted) return null;
      return compareExistingKeys(tx, member.unique, await member.inserted);
    }),
  );

  const outcomes: (StoreOutcome | null)[] = members.map((member, index) => {
    const keys = claimedKeys[index];
    if (!keys) return null;
    const { accepted, duplicates, conflicted } = keys;
    const allConflicts = [...member.conflicts];
    for (const prediction of conflicted) {
      allConflicts.push({
        prediction,
        message: `${describeRecord(prediction)} was already stored with a different payload`,
      });
    }
    const conflictedKeys = new Set(conflicted.map((prediction) => prediction.key));
    for (const repeat of member.repeats) {
      if (conflictedKeys.has(repeat.key)) {
        allConflicts.push({
          prediction: repeat,
          message: `${describeRecord(repeat)} was already stored with a different payload`,
        });
      } else duplicates.push(repeat);
    }
    return { accepted, duplicates, conflicts: allConflicts };
  });

  const accepted: PreparedPrediction[] = [];
  const duplicates: PreparedPrediction[] = [];
  const featureBins: FeatureBinRollup[][] = [];
  members.forEach((member, index) => {
    const outcome = outcomes[index];
    if (!outcome) return;
    accepted.push(...outcome.accepted);
    duplicates.push(...outcome.duplicates);
    featureBins.push(
      aggregateFeatureBins(
        outcome.accepted.map((p) => p.binned),
        member.request.profilesOf,
      ),
    );
  });

  await copyPredictionRows(tx, accepted);
  await joinPendingLabels(tx, accepted);
  // Rollup rows are shared by every concurrent writer of the model: they are locked last,
  // after the work that locks nothing shared, so each transaction holds them briefly.
  const arrived = accepted.map((p) => p.rollup);
  await addMinuteRollups(
    tx,
    aggregateMinuteRollups(
      arrived,
      duplicates.map((p) => p.rollup),
    ),
  );
  await addSegmentRollups(tx, aggregateSegmentRollups(arrived));
  await addFeatureBinRollups(tx, mergeFeatureBinRollups(featureBins));

  const results: StoreResult[] = [];
  const counts: KeyCounts[] = [];
  members.forEach((member, index) => {
    const outcome = outcomes[index];
    if (!outcome) {
      results.push({ stored: false });
      return;
    }
    const finished = member.request.bookkeeping.finish(outcome);
    if (finished.counts) counts.push(finished.counts);
    results.push({ stored: true, outcome, response: finished.response });
  });
  // The hot single rows (counters, ledger) last, so their locks are held the shortest.
  await Promise.all(sumKeyCounts(counts).map((total) => addToKeyCounters(tx, total)));
  await Promise.all(
    members.map(async (member, index) => {
      const claim = member.request.bookkeeping.idempotency;
      const result = results[index];
      if (claim && result?.stored) await completeIdempotencyKey(tx, claim, result.response);
    }),
  );
  return results;
}

/** One counter update per API key (sorted, so writers lock them in one order). */
function sumKeyCounts(counts: readonly KeyCounts[]): KeyCounts[] {
  const totals = new Map<string, KeyCounts>();
  for (const count of counts) {
    const total = totals.get(count.apiKeyId);
    if (!total) {
      totals.set(count.apiKeyId, { ...count, rejectedByCode: { ...count.rejectedByCode } });
      continue;
    }
    total.accepted += count.accepted;
    total.duplicates += count.duplicates;
    for (const [code, n] of Object.entries(count.rejectedByCode)) {
      total.rejectedByCode[code] = (total.rejectedByCode[code] ?? 0) + n;
    }
  }
  return [...totals.values()].sort((a, b) =>
    a.apiKeyId < b.apiKeyId ? -1 : a.apiKeyId > b.apiKeyId ? 1 : 0,
  );
}

/**
 * Small batches go in as one `insert ... select from unnest(...)`: postgres.js sends a COPY's
 * data and its end in two TCP writes, and Nagle's algorithm then holds the second until the
 * server's delayed ACK, about 40 ms, which would dominate a one-record request. From this many
 * rows COPY wins.
 */
const COPY_MIN_ROWS = 64;

async function insertPredictionRows(
  tx: postgres.TransactionSql,
  accepted: readonly PreparedPrediction[],
) {
  const columns = PREDICTION_COPY_COLUMNS.map((name, column) => {
    const values = accepted.map((prediction) => prediction.cells[column] ?? null);
    return tx`${textArray(tx, values)}::text[]`;
  });
  const selected = PREDICTION_COPY_COLUMNS.map(
    (name, column) => `${name}::${PREDICTION_COLUMN_TYPES[column]}`,
  ).join(", ");
  const fragments = columns.reduce((all, fragment, index) =>
    index === 0 ? fragment : tx`${all}, ${fragment}`,
  );
  await tx`
    insert into predictions (${tx.unsafe(PREDICTION_COPY_COLUMNS.join(", "))})
    select ${tx.unsafe(selected)}
    from unnest(${fragments}) as t(${tx.unsafe(PREDICTION_COPY_COLUMNS.join(", "))})`;
}

async function copyPredictionRows(
  tx: postgres.TransactionSql,
  accepted: readonly PreparedPrediction[],
) {
  if (accepted.length === 0) return;
  if (accepted.length < COPY_MIN_ROWS) {
    await insertPredictionRows(tx, accepted);
    return;
  }
  let data = "";
  for (const prediction of accepted) data += prediction.copyLine;
  // `writable()` resolves to the stream; the stream finishes when the server confirms the COPY.
  const writable = await tx.unsafe(COPY_SQL).writable();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      writable.once("finish", resolve);
      writable.once("error", reject);
      // postgres.js never settles a COPY stream whose connection died after CopyDone; give up
      // as "connection lost" (503) instead of holding the request forever.
      timer = setTimeout(
        () =>
          reject(Object.assign(new Error("COPY was not confirmed"), { code: "CONNECTION_CLOSED" })),
        COPY_CONFIRMATION_TIMEOUT_MS,
      );
      // One write, inside this executor: postgres.js's COPY stream throws synchronously from
      // write() when the connection has just died; a throw from a piped write would be uncaught.
      writable.end(data);
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Inserts the dedup keys and returns the ones it inserted. Under READ COMMITTED the insert
 * waits for a concurrent writer of the same key to finish.
 */
function insertDedupKeys(
  tx: postgres.TransactionSql,
  unique: readonly PreparedPrediction[],
): Promise<PreparedPrediction[]> {
  if (unique.length === 0) return Promise.resolve([]);
  const modelIds = unique.map((p) => p.modelId);
  const versions = unique.map((p) => p.version);
  const predictionIds = unique.map((p) => p.predictionId);
  const query = tx<{ model_id: string; version: string; prediction_id: string }[]>`
    insert into prediction_keys (model_id, version, prediction_id, ts, payload_hash)
    select * from unnest(
      ${textArray(tx, modelIds)}::uuid[], ${textArray(tx, versions)}::text[], ${textArray(tx, predictionIds)}::text[],
      ${textArray(
        tx,
        unique.map((p) => p.tsText),
      )}::timestamptz[], ${textArray(
        tx,
        unique.map((p) => p.hash),
      )}::text[])
    on conflict do nothing
    returning model_id, version, prediction_id`;
  return query.then((inserted) => {
    if (inserted.length === unique.length) return [...unique];
    const insertedKeys = new Set(
      inserted.map((key) => `${key.model_id}\u0000${key.version}\u0000${key.prediction_id}`),
    );
    return unique.filter((prediction) => insertedKeys.has(prediction.key));
  });
}

/**
 * Sorts the keys into accepted (inserted), duplicates and conflicts: the ones that already
 * existed are compared by payload hash. The select runs after the insert, so it sees what a
 * concurrent writer the insert waited for committed.
 */
async function compareExistingKeys(
  tx: postgres.TransactionSql,
  unique: readonly PreparedPrediction[],
  inserted: PreparedPrediction[],
) {
  const duplicates: PreparedPrediction[] = [];
  const conflicted: PreparedPrediction[] = [];
  if (inserted.length === unique.length) return { accepted: inserted, duplicates, conflicted };
  const insertedKeys = new Set(inserted.map((prediction) => prediction.key));
  const existing = unique.filter((prediction) => !insertedKeys.has(prediction.key));
  const stored = await tx<
    { model_id: string; version: string; prediction_id: string; payload_hash: string }[]
  >`
    select k.model_id, k.version, k.prediction_id, k.payload_hash
    from prediction_keys k
    join unnest(
      ${textArray(
        tx,
        existing.map((p) => p.modelId),
      )}::uuid[], ${textArray(
        tx,
        existing.map((p) => p.version),
      )}::text[],
      ${textArray(
        tx,
        existing.map((p) => p.predictionId),
      )}::text[]) as e(model_id, version, prediction_id)
      on k.model_id = e.model_id and k.version = e.version and k.prediction_id = e.prediction_id`;
  const storedHashes = new Map(
    stored.map((key) => [
      `${key.model_id}\u0000${key.version}\u0000${key.prediction_id}`,
      key.payload_hash,
    ]),
  );
  for (const prediction of existing) {
    const storedHash = storedHashes.get(prediction.key);
    // The insert found the key, so it exists: missing here means something deleted it mid-way.
    if (storedHash === undefined) throw new Error("a dedup key vanished during the transaction");
    if (storedHash === prediction.hash) duplicates.push(prediction);
    else conflicted.push(prediction);
  }
  return { accepted: inserted, duplicates, conflicted };
}
