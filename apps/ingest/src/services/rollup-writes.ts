import type postgres from "postgres";

import type { FeatureBinRollup } from "./feature-bins";
import { arrayLiteral } from "./histograms";
import type { MinuteRollup, SegmentRollup } from "./minute-rollups";
import { textArray } from "./sql-arrays";

/**
 * The additive upserts of the rollup tables: one statement per table for a whole batch (rows
 * passed as arrays through `unnest`), `n = n + excluded.n` and `plumbline_add_counts` for
 * arrays. Callers pass rows sorted by key, so concurrent writers lock them in the same order.
 */

const iso = (date: Date) => date.toISOString();

export async function addMinuteRollups(tx: postgres.TransactionSql, rows: readonly MinuteRollup[]) {
  if (rows.length === 0) return;
  await tx`
    insert into prediction_rollups_minute as r (
      model_id, minute, version, deployment, count, score_count, score_sum, score_histogram,
      low_confidence_count, error_count, latency_count, latency_sum_ms, latency_histogram,
      duplicate_count, unknown_feature_count, type_mismatch_count, partial_count)
    select model_id, minute, version, deployment, count, score_count, score_sum,
      score_histogram::bigint[], low_confidence_count, error_count, latency_count, latency_sum_ms,
      latency_histogram::bigint[], duplicate_count, unknown_feature_count, type_mismatch_count,
      partial_count
    from unnest(
      ${textArray(
        tx,
        rows.map((r) => r.modelId),
      )}::uuid[], ${textArray(
        tx,
        rows.map((r) => iso(r.minute)),
      )}::timestamptz[],
      ${textArray(
        tx,
        rows.map((r) => r.version),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.deployment),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.count),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.scoreCount),
      )}::bigint[],
      ${textArray(
        tx,
        rows.map((r) => r.scoreSum),
      )}::float8[], ${textArray(
        tx,
        rows.map((r) => arrayLiteral(r.scoreHistogram)),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.lowConfidenceCount),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.errorCount),
      )}::bigint[],
      ${textArray(
        tx,
        rows.map((r) => r.latencyCount),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.latencySumMs),
      )}::float8[],
      ${textArray(
        tx,
        rows.map((r) => arrayLiteral(r.latencyHistogram)),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.duplicateCount),
      )}::int[], ${textArray(
        tx,
        rows.map((r) => r.unknownFeatureCount),
      )}::bigint[],
      ${textArray(
        tx,
        rows.map((r) => r.typeMismatchCount),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.partialCount),
      )}::bigint[]
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
}

export async function addSegmentRollups(
  tx: postgres.TransactionSql,
  rows: readonly SegmentRollup[],
) {
  if (rows.length === 0) return;
  await tx`
    insert into segment_rollups_minute as r
      (model_id, minute, version, deployment, segment, value, count)
    select * from unnest(
      ${textArray(
        tx,
        rows.map((r) => r.modelId),
      )}::uuid[], ${textArray(
        tx,
        rows.map((r) => iso(r.minute)),
      )}::timestamptz[],
      ${textArray(
        tx,
        rows.map((r) => r.version),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.deployment),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.segment),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.value),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.count),
      )}::bigint[])
    on conflict (model_id, minute, version, deployment, segment, value) do update set
      count = r.count + excluded.count`;
}

export async function addFeatureBinRollups(
  tx: postgres.TransactionSql,
  rows: readonly FeatureBinRollup[],
) {
  if (rows.length === 0) return;
  await tx`
    insert into feature_bin_rollups_minute as r (
      model_id, minute, version, deployment, target, name, profile_revision, counts, missing,
      out_of_range, unseen, type_mismatch)
    select model_id, minute, version, deployment, target, name, profile_revision, counts::bigint[],
      missing, out_of_range, unseen, type_mismatch
    from unnest(
      ${textArray(
        tx,
        rows.map((r) => r.modelId),
      )}::uuid[], ${textArray(
        tx,
        rows.map((r) => iso(r.minute)),
      )}::timestamptz[],
      ${textArray(
        tx,
        rows.map((r) => r.version),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.deployment),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.target),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.name),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.profileRevision),
      )}::int[], ${textArray(
        tx,
        rows.map((r) => arrayLiteral(r.counts)),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.missing),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.outOfRange),
      )}::bigint[],
      ${textArray(
        tx,
        rows.map((r) => r.unseen),
      )}::bigint[], ${textArray(
        tx,
        rows.map((r) => r.typeMismatch),
      )}::bigint[]
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
