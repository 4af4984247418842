import type postgres from "postgres";

import type { FeatureBinRollup } from "./feature-bins";
import { arrayLiteral } from "./histograms";
import { notifyRollupsChanged } from "./ingest-notify";
import type { MinuteRollup, SegmentRollup } from "./minute-rollups";
import { textArray } from "../sql/sql-arrays";

/**
 * The additive upserts of the rollup tables: one statement per table for a whole batch (rows
 * passed as arrays through `unnest`), `n = n + excluded.n` and `plumbline_add_counts` for
 * arrays. Callers pass rows sorted by key, so concurrent writers lock them in the same order.
 * Every prediction write passes through `addMinuteRollups`, which also queues the models'
 * change notification (see ingest-notify).
 */

const iso = (date: Date) => date.toISOString();

/** One array parameter per column, for `unnest`: every row's value of `pick`. */
function columnOf<Row>(tx: postgres.TransactionSql, rows: readonly Row[]) {
  return (pick: (row: Row) => Parameters<typeof textArray>[1][number]) =>
    textArray(tx, rows.map(pick));
}

export async function addMinuteRollups(tx: postgres.TransactionSql, rows: readonly MinuteRollup[]) {
  if (rows.length === 0) return;
  const column = columnOf(tx, rows);
  const upsert = tx`
    insert into prediction_rollups_minute as r (
      model_id, minute, version, deployment, count, score_count, score_sum, score_histogram,
      low_confidence_count, error_count, latency_count, latency_sum_ms, latency_histogram,
      duplicate_count, unknown_feature_count, type_mismatch_count, partial_count)
    select model_id, minute, version, deployment, count, score_count, score_sum,
      score_histogram::bigint[], low_confidence_count, error_count, latency_count, latency_sum_ms,
      latency_histogram::bigint[], duplicate_count, unknown_feature_count, type_mismatch_count,
      partial_count
    from unnest(
      ${column((r) => r.modelId)}::uuid[], ${column((r) => iso(r.minute))}::timestamptz[],
      ${column((r) => r.version)}::text[], ${column((r) => r.deployment)}::text[],
      ${column((r) => r.count)}::bigint[], ${column((r) => r.scoreCount)}::bigint[],
      ${column((r) => r.scoreSum)}::float8[], ${column((r) => arrayLiteral(r.scoreHistogram))}::text[],
      ${column((r) => r.lowConfidenceCount)}::bigint[], ${column((r) => r.errorCount)}::bigint[],
      ${column((r) => r.latencyCount)}::bigint[], ${column((r) => r.latencySumMs)}::float8[],
      ${column((r) => arrayLiteral(r.latencyHistogram))}::text[],
      ${column((r) => r.duplicateCount)}::int[], ${column((r) => r.unknownFeatureCount)}::bigint[],
      ${column((r) => r.typeMismatchCount)}::bigint[], ${column((r) => r.partialCount)}::bigint[]
    ) as t(model_id, minute, version, deployment, count, score_count, score_sum, score_histogram,
      low_confidence_count, error_count, latency_count, latency_sum_ms, latency_histogram,
      duplicate_count, unknown_feature_count, type_mismatch_count, partial_count)
    on conflict (model_id, minute, version, deployment) do update set
      count = r.count + excluded.count,
      score_count = r.score_count + excluded.score_count,
      score_sum = r.score_sum + excluded.score_sum,
      score_histogram = plumbline_add_counts(r.score_histogram, excluded.score_histogram),
      low_confidence_count = r.low_confidence_count + excluded.low_confidence_count,
      error_count = r.error_count + excluded.error_count,
      latency_count = r.latency_count + excluded.latency_count,
      latency_sum_ms = r.latency_sum_ms + excluded.latency_sum_ms,
      latency_histogram = plumbline_add_counts(r.latency_histogram, excluded.latency_histogram),
      duplicate_count = r.duplicate_count + excluded.duplicate_count,
      unknown_feature_count = r.unknown_feature_count + excluded.unknown_feature_count,
      type_mismatch_count = r.type_mismatch_count + excluded.type_mismatch_count,
      partial_count = r.partial_count + excluded.partial_count`;
  // Pipelined with the upsert: no extra round trip while the rollup rows are locked.
  await Promise.all([
    upsert,
    notifyRollupsChanged(
      tx,
      rows.map((row) => row.modelId),
    ),
  ]);
}

export async function addSegmentRollups(
  tx: postgres.TransactionSql,
  rows: readonly SegmentRollup[],
) {
  if (rows.length === 0) return;
  const column = columnOf(tx, rows);
  await tx`
    insert into segment_rollups_minute as r
      (model_id, minute, version, deployment, segment, value, count)
    select * from unnest(
      ${column((r) => r.modelId)}::uuid[], ${column((r) => iso(r.minute))}::timestamptz[],
      ${column((r) => r.version)}::text[], ${column((r) => r.deployment)}::text[],
      ${column((r) => r.segment)}::text[], ${column((r) => r.value)}::text[],
      ${column((r) => r.count)}::bigint[])
    on conflict (model_id, minute, version, deployment, segment, value) do update set
      count = r.count + excluded.count`;
}

export async function addFeatureBinRollups(
  tx: postgres.TransactionSql,
  rows: readonly FeatureBinRollup[],
) {
  if (rows.length === 0) return;
  const column = columnOf(tx, rows);
  await tx`
    insert into feature_bin_rollups_minute as r (
      model_id, minute, version, deployment, target, name, profile_revision, counts, missing,
      out_of_range, unseen, type_mismatch)
    select model_id, minute, version, deployment, target, name, profile_revision, counts::bigint[],
      missing, out_of_range, unseen, type_mismatch
    from unnest(
      ${column((r) => r.modelId)}::uuid[], ${column((r) => iso(r.minute))}::timestamptz[],
      ${column((r) => r.version)}::text[], ${column((r) => r.deployment)}::text[],
      ${column((r) => r.target)}::text[], ${column((r) => r.name)}::text[],
      ${column((r) => r.profileRevision)}::int[], ${column((r) => arrayLiteral(r.counts))}::text[],
      ${column((r) => r.missing)}::bigint[], ${column((r) => r.outOfRange)}::bigint[],
      ${column((r) => r.unseen)}::bigint[], ${column((r) => r.typeMismatch)}::bigint[]
    ) as t(model_id, minute, version, deployment, target, name, profile_revision, counts, missing,
      out_of_range, unseen, type_mismatch)
    on conflict (model_id, minute, version, deployment, target, name, profile_revision)
    do update set
      counts = plumbline_add_counts(r.counts, excluded.counts),
      missing = r.missing + excluded.missing,
      out_of_range = r.out_of_range + excluded.out_of_range,
      unseen = r.unseen + excluded.unseen,
      type_mismatch = r.type_mismatch + excluded.type_mismatch`;
}
