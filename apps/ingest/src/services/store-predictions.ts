import type { Database } from "@plumbline/db/client";
import { predictionKeys, predictionRollupsMinute, predictions } from "@plumbline/db/schema";
import { and, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";

import { aggregateMinuteRollups } from "./minute-rollups";
import { dedupKey, type PreparedPrediction } from "./prediction-rows";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** postgres.js refuses a statement with more bind parameters than this. */
const MAX_QUERY_PARAMETERS = 65_534;
const PREDICTION_ROWS_PER_INSERT = Math.floor(
  MAX_QUERY_PARAMETERS / Object.keys(getTableColumns(predictions)).length,
);

export interface StoreConflict {
  prediction: PreparedPrediction;
  message: string;
}

export interface StoreOutcome {
  accepted: PreparedPrediction[];
  duplicates: PreparedPrediction[];
  conflicts: StoreConflict[];
}

function byKey(a: PreparedPrediction, b: PreparedPrediction): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function describeRecord(prediction: PreparedPrediction): string {
  const { predictionId, version } = prediction.row;
  return `prediction_id "${predictionId}" of model "${prediction.modelSlug}" version "${version}"`;
}

/** `column = column + excluded.column`: rollups only ever add, so concurrent writers commute. */
function addExcluded(column: string): SQL {
  return sql`${sql.identifier("prediction_rollups_minute")}.${sql.identifier(column)} + excluded.${sql.identifier(column)}`;
}

/**
 * Stores prepared predictions in one transaction: dedup keys, raw rows and rollup increments
 * commit together or not at all. A record already stored with the same payload is a duplicate
 * (a safe retry); with a different payload it is a conflict. Partitions for the records' days
 * must exist before this runs.
 */
export async function storePredictions(
  db: Database,
  prepared: readonly PreparedPrediction[],
): Promise<StoreOutcome> {
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
  if (unique.length === 0) return { accepted: [], duplicates: [], conflicts };

  return db.transaction(async (tx) => {
    const { accepted, duplicates, conflicted } = await claimDedupKeys(tx, unique);
    for (const prediction of conflicted) {
      conflicts.push({
        prediction,
        message: `${describeRecord(prediction)} was already stored with a different payload`,
      });
    }
    const conflictedKeys = new Set(conflicted.map((prediction) => prediction.key));
    for (const repeat of repeats) {
      if (conflictedKeys.has(repeat.key)) {
        conflicts.push({
          prediction: repeat,
          message: `${describeRecord(repeat)} was already stored with a different payload`,
        });
      } else duplicates.push(repeat);
    }

    for (let start = 0; start < accepted.length; start += PREDICTION_ROWS_PER_INSERT) {
      const chunk = accepted.slice(start, start + PREDICTION_ROWS_PER_INSERT);
      await tx.insert(predictions).values(chunk.map((prediction) => prediction.row));
    }
    await addToMinuteRollups(tx, accepted, duplicates);
    return { accepted, duplicates, conflicts };
  });
}

/**
 * Inserts the dedup keys; the ones that already existed are compared by payload hash. Under READ
 * COMMITTED the insert waits for a concurrent writer of the same key to finish, and the select
 * that follows sees what it committed.
 */
async function claimDedupKeys(tx: Transaction, unique: readonly PreparedPrediction[]) {
  const inserted = await tx
    .insert(predictionKeys)
    .values(
      unique.map(({ row, hash }) => ({
        modelId: row.modelId,
        version: row.version,
        predictionId: row.predictionId,
        ts: row.ts,
        payloadHash: hash,
      })),
    )
    .onConflictDoNothing()
    .returning({
      modelId: predictionKeys.modelId,
      version: predictionKeys.version,
      predictionId: predictionKeys.predictionId,
    });
  const insertedKeys = new Set(
    inserted.map((key) => dedupKey(key.modelId, key.version, key.predictionId)),
  );
  const accepted = unique.filter((prediction) => insertedKeys.has(prediction.key));
  const existing = unique.filter((prediction) => !insertedKeys.has(prediction.key));
  const duplicates: PreparedPrediction[] = [];
  const conflicted: PreparedPrediction[] = [];
  if (existing.length === 0) return { accepted, duplicates, conflicted };

  const stored = await tx
    .select({
      modelId: predictionKeys.modelId,
      version: predictionKeys.version,
      predictionId: predictionKeys.predictionId,
      payloadHash: predictionKeys.payloadHash,
    })
    .from(predictionKeys)
    .where(
      and(
        inArray(predictionKeys.modelId, [...new Set(existing.map((p) => p.row.modelId))]),
        inArray(predictionKeys.version, [...new Set(existing.map((p) => p.row.version))]),
        inArray(predictionKeys.predictionId, [...new Set(existing.map((p) => p.row.predictionId))]),
      ),
    );
  const storedHashes = new Map(
    stored.map((key) => [dedupKey(key.modelId, key.version, key.predictionId), key.payloadHash]),
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

async function addToMinuteRollups(
  tx: Transaction,
  accepted: readonly PreparedPrediction[],
  duplicates: readonly PreparedPrediction[],
) {
  const rollups = aggregateMinuteRollups(
    accepted.map((prediction) => prediction.rollup),
    duplicates.map((prediction) => prediction.rollup),
  );
  if (rollups.length === 0) return;
  await tx
    .insert(predictionRollupsMinute)
    .values(rollups)
    .onConflictDoUpdate({
      target: [
        predictionRollupsMinute.modelId,
        predictionRollupsMinute.minute,
        predictionRollupsMinute.version,
        predictionRollupsMinute.deployment,
      ],
      set: {
        count: addExcluded("count"),
        scoreCount: addExcluded("score_count"),
        scoreSum: addExcluded("score_sum"),
        lowConfidenceCount: addExcluded("low_confidence_count"),
        errorCount: addExcluded("error_count"),
        latencyCount: addExcluded("latency_count"),
        latencySumMs: addExcluded("latency_sum_ms"),
        duplicateCount: addExcluded("duplicate_count"),
      },
    });
}
