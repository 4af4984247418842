import type postgres from "postgres";

import { arrayLiteral, boundedBucket, LABEL_DELAY_BUCKET_BOUNDS_MS } from "./histograms";
import { notifyRollupsChanged } from "./ingest-notify";
import { startOfMinute } from "./minute-rollups";
import { recordPerformanceContributions, type JoinedLabel } from "./performance/record-performance";
import { asDate, textArray } from "../sql/sql-arrays";

/** A label that has just met its prediction for the first time. */
export interface LabelJoin {
  modelId: string;
  predictionId: string;
  labelName: string;
  /** The version and timestamp of the prediction it met. */
  version: string;
  predictionTs: Date;
  delayMs: number;
}

/** What the join statements return for each label they joined. */
export interface JoinedLabelRow {
  model_id: string;
  prediction_id: string;
  label_name: string;
  version: string;
  ts: Date | string;
  delay_ms: number;
}

export function labelJoinOf(row: JoinedLabelRow): LabelJoin {
  return {
    modelId: row.model_id,
    predictionId: row.prediction_id,
    labelName: row.label_name,
    version: row.version,
    predictionTs: asDate(row.ts),
    delayMs: Number(row.delay_ms),
  };
}

/**
 * Everything a first join counts, in the joining transaction: label coverage and delay
 * (`label_rollups_minute`) and the pair's performance (confusion, scores, errors). Revisions
 * of labels joined earlier are passed along, so the performance rollups are written once per
 * transaction, in key order (two statements could lock rows in opposite orders).
 */
export async function recordLabelJoins(
  tx: postgres.TransactionSql,
  joins: readonly LabelJoin[],
  revised: readonly JoinedLabel[] = [],
) {
  await addLabelRollups(tx, joins);
  await recordPerformanceContributions(tx, [
    ...revised,
    ...joins.map((join) => ({ ...join, previous: null })),
  ]);
}

interface LabelRollup {
  modelId: string;
  minute: Date;
  version: string;
  labelName: string;
  joinedCount: number;
  delaySumMs: number;
  delayHistogram: number[];
}

/**
 * Adds first joins to `label_rollups_minute`, by the minute of the prediction (so coverage is
 * `joined_count / count` of the same minute), in a fixed key order.
 */
export async function addLabelRollups(tx: postgres.TransactionSql, joins: readonly LabelJoin[]) {
  if (joins.length === 0) return;
  const rollups = new Map<string, LabelRollup>();
  for (const join of joins) {
    const minute = startOfMinute(join.predictionTs);
    const key = `${join.modelId}\u0000${minute.toISOString()}\u0000${join.version}\u0000${join.labelName}`;
    let rollup = rollups.get(key);
    if (!rollup) {
      rollup = {
        modelId: join.modelId,
        minute,
        version: join.version,
        labelName: join.labelName,
        joinedCount: 0,
        delaySumMs: 0,
        delayHistogram: new Array<number>(LABEL_DELAY_BUCKET_BOUNDS_MS.length + 1).fill(0),
      };
      rollups.set(key, rollup);
    }
    rollup.joinedCount += 1;
    rollup.delaySumMs += join.delayMs;
    rollup.delayHistogram[boundedBucket(LABEL_DELAY_BUCKET_BOUNDS_MS, join.delayMs)]! += 1;
  }
  const rows = [...rollups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  const upsert = tx`
    insert into label_rollups_minute as r
      (model_id, minute, version, label_name, joined_count, delay_sum_ms, delay_histogram)
    select model_id, minute, version, label_name, joined_count, delay_sum_ms, delay_histogram::bigint[]
    from unnest(
      ${textArray(
        tx,
        rows.map((r) => r.modelId),
      )}::uuid[], ${textArray(
        tx,
        rows.map((r) => r.minute.toISOString()),
      )}::timestamptz[],
      ${textArray(
        tx,
        rows.map((r) => r.version),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.labelName),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.joinedCount),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.delaySumMs),
      )}::float8[],
      ${textArray(
        tx,
        rows.map((r) => arrayLiteral(r.delayHistogram)),
      )}::text[]
    ) as t(model_id, minute, version, label_name, joined_count, delay_sum_ms, delay_histogram)
    on conflict (model_id, minute, version, label_name) do update set
      joined_count = r.joined_count + excluded.joined_count,
      delay_sum_ms = r.delay_sum_ms + excluded.delay_sum_ms,
      delay_histogram = plumbline_add_counts(r.delay_histogram, excluded.delay_histogram)`;
  // Label coverage changed: open dashboards of these models re-read (delivered at COMMIT).
  await Promise.all([
    upsert,
    notifyRollupsChanged(
      tx,
      rows.map((row) => row.modelId),
    ),
  ]);
}
