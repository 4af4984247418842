import type { SqlClient } from "@plumbline/db/client";
import type postgres from "postgres";

import { aggregateFeatureBins } from "./feature-bins";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyClaim,
  type StoredResponse,
} from "./idempotency-ledger";
import { joinPendingLabels } from "./join-pending-labels";
import { addToKeyCounters, type KeyCounts } from "./key-counters";
import { aggregateMinuteRollups, aggregateSegmentRollups } from "./minute-rollups";
import {
  PREDICTION_COLUMN_TYPES,
  PREDICTION_COPY_COLUMNS,
  type PreparedPrediction,
} from "./prediction-rows";
import type { BinningProfile } from "./reference-profile-cache";
import { addFeatureBinRollups, addMinuteRollups, addSegmentRollups } from "./rollup-writes";
import { textArray } from "./sql-arrays";

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

/**
 * Stores prepared predictions in one transaction: the Idempotency-Key claim, dedup keys, raw
 * rows (COPY), rollup increments, label joins, the key's counters and the ledger's response
 * commit together or not at all. A record already stored with the same payload is a duplicate
 * (a safe retry); with a different payload it is a conflict. Partitions for the records' days
 * must exist before this runs.
 */
export async function storePredictions(
  sql: SqlClient,
  prepared: readonly PreparedPrediction[],
  profilesOf: (modelId: string, version: string) => readonly BinningProfile[],
  bookkeeping: StoreBookkeeping,
): Promise<{ outcome: StoreOutcome; response: StoredResponse }> {
  return sql.begin((tx) => storePredictionsInTransaction(tx, prepared, profilesOf, bookkeeping));
}

/** The same, inside a transaction the caller owns (CloudEvents join halves in it first). */
export async function storePredictionsInTransaction(
  tx: postgres.TransactionSql,
  prepared: readonly PreparedPrediction[],
  profilesOf: (modelId: string, version: string) => readonly BinningProfile[],
  bookkeeping: StoreBookkeeping,
): Promise<{ outcome: StoreOutcome; response: StoredResponse }> {
  // A prediction repeated within the batch shares the fate of its first occurrence, unless its
  // payload differs, which is a conflict whatever the database holds.
  const firsts = new Map<string, PreparedPrediction>();
  const repeats: PreparedPrediction[] = [];
  const conflicts: StoreConflict[] = [];
  for (const prediction of prepared) {
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

  {
    if (bookkeeping.idempotency) await claimIdempotencyKey(tx, bookkeeping.idempotency);
    const { accepted, duplicates, conflicted } = await claimDedupKeys(tx, unique);
    const allConflicts = [...conflicts];
    for (const prediction of conflicted) {
      allConflicts.push({
        prediction,
        message: `${describeRecord(prediction)} was already stored with a different payload`,
      });
    }
    const conflictedKeys = new Set(conflicted.map((prediction) => prediction.key));
    for (const repeat of repeats) {
      if (conflictedKeys.has(repeat.key)) {
        allConflicts.push({
          prediction: repeat,
          message: `${describeRecord(repeat)} was already stored with a different payload`,
        });
      } else duplicates.push(repeat);
    }

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
    await addFeatureBinRollups(
      tx,
      aggregateFeatureBins(
        accepted.map((p) => p.binned),
        profilesOf,
      ),
    );

    const outcome: StoreOutcome = { accepted, duplicates, conflicts: allConflicts };
    const { response, counts } = bookkeeping.finish(outcome);
    // The hot single rows (counters, ledger) last, so their locks are held the shortest.
    if (counts) await addToKeyCounters(tx, counts);
    if (bookkeeping.idempotency) {
      await completeIdempotencyKey(tx, bookkeeping.idempotency, response);
    }
    return { outcome, response };
  }
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
 * Inserts the dedup keys; the ones that already existed are compared by payload hash. Under READ
 * COMMITTED the insert waits for a concurrent writer of the same key to finish, and the select
 * that follows sees what it committed.
 */
async function claimDedupKeys(tx: postgres.TransactionSql, unique: readonly PreparedPrediction[]) {
  const accepted: PreparedPrediction[] = [];
  const duplicates: PreparedPrediction[] = [];
  const conflicted: PreparedPrediction[] = [];
  if (unique.length === 0) return { accepted, duplicates, conflicted };
  const modelIds = unique.map((p) => p.modelId);
  const versions = unique.map((p) => p.version);
  const predictionIds = unique.map((p) => p.predictionId);
  const inserted = await tx<{ model_id: string; version: string; prediction_id: string }[]>`
    insert into prediction_keys (model_id, version, prediction_id, ts, payload_hash)
    select * from unnest(
      ${textArray(tx, modelIds)}::uuid[], ${textArray(tx, versions)}::text[], ${textArray(tx, predictionIds)}::text[],
      ${textArray(
        tx,
        unique.map((p) => p.ts.toISOString()),
      )}::timestamptz[], ${textArray(
        tx,
        unique.map((p) => p.hash),
      )}::text[])
    on conflict do nothing
    returning model_id, version, prediction_id`;
  if (inserted.length === unique.length) return { accepted: [...unique], duplicates, conflicted };

  const insertedKeys = new Set(
    inserted.map((key) => `${key.model_id}\u0000${key.version}\u0000${key.prediction_id}`),
  );
  const existing: PreparedPrediction[] = [];
  for (const prediction of unique) {
    if (insertedKeys.has(prediction.key)) accepted.push(prediction);
    else existing.push(prediction);
  }
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
  return { accepted, duplicates, conflicted };
}
