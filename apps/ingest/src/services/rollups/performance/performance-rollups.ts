import type { PerformanceContribution } from "@plumbline/db/schema";
import type postgres from "postgres";

import {
  arrayLiteral,
  boundedBucket,
  ERROR_BUCKET_BOUNDS,
  SCORE_HISTOGRAM_BINS,
} from "../histograms";
import { notifyRollupsChanged } from "../ingest-notify";
import { textArray } from "../../sql/sql-arrays";

/** A contribution to add (+1: a label joined, or the new side of a revision) or take back (-1). */
export interface SignedContribution {
  modelId: string;
  labelName: string;
  contribution: PerformanceContribution;
  sign: 1 | -1;
}

export interface PerformanceRollup {
  modelId: string;
  minute: string;
  version: string;
  deployment: string;
  labelName: string;
  joinedCount: number;
  /** Empty when no pair of the batch had a score, so the stored arrays are left as they are. */
  positiveScoreHistogram: number[];
  negativeScoreHistogram: number[];
  scoreSumByBin: number[];
  regressionCount: number;
  absoluteErrorSum: number;
  squaredErrorSum: number;
  errorSum: number;
  errorHistogram: number[];
}

export interface ConfusionRollup {
  modelId: string;
  minute: string;
  version: string;
  deployment: string;
  labelName: string;
  predictedClass: string;
  actualClass: string;
  count: number;
}

function sortedByKey<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

const isZero = (values: readonly number[]) => values.every((value) => value === 0);

/**
 * Sums signed contributions per rollup row, sorted by key so concurrent writers lock rows in
 * the same order. A row whose changes cancel out (a revision that changed nothing it counts)
 * is left out.
 */
export function aggregatePerformanceRollups(signed: readonly SignedContribution[]): {
  performance: PerformanceRollup[];
  confusion: ConfusionRollup[];
} {
  const performance = new Map<string, PerformanceRollup>();
  const confusion = new Map<string, ConfusionRollup>();
  for (const { modelId, labelName, contribution, sign } of signed) {
    const { minute, version, deployment } = contribution;
    const key = [modelId, minute, version, deployment, labelName].join("\u0000");
    let row = performance.get(key);
    if (!row) {
      row = {
        modelId,
        minute,
        version,
        deployment,
        labelName,
        joinedCount: 0,
        positiveScoreHistogram: [],
        negativeScoreHistogram: [],
        scoreSumByBin: [],
        regressionCount: 0,
        absoluteErrorSum: 0,
        squaredErrorSum: 0,
        errorSum: 0,
        errorHistogram: [],
      };
      performance.set(key, row);
    }
    row.joinedCount += sign;
    const { score, error } = contribution;
    if (score) {
      if (row.scoreSumByBin.length === 0) {
        row.positiveScoreHistogram = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
        row.negativeScoreHistogram = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
        row.scoreSumByBin = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
      }
      const histogram = score.positive ? row.positiveScoreHistogram : row.negativeScoreHistogram;
      histogram[score.bin]! += sign;
      row.scoreSumByBin[score.bin]! += sign * score.value;
    }
    if (error !== null) {
      if (row.errorHistogram.length === 0) {
        row.errorHistogram = new Array<number>(ERROR_BUCKET_BOUNDS.length + 1).fill(0);
      }
      row.regressionCount += sign;
      row.absoluteErrorSum += sign * Math.abs(error);
      row.squaredErrorSum += sign * error * error;
      row.errorSum += sign * error;
      row.errorHistogram[boundedBucket(ERROR_BUCKET_BOUNDS, error)]! += sign;
    }
    if (contribution.confusion) {
      const { predicted, actual } = contribution.confusion;
      const cellKey = `${key}\u0000${predicted}\u0000${actual}`;
      const cell = confusion.get(cellKey);
      if (cell) cell.count += sign;
      else {
        confusion.set(cellKey, {
          modelId,
          minute,
          version,
          deployment,
          labelName,
          predictedClass: predicted,
          actualClass: actual,
          count: sign,
        });
      }
    }
  }
  const changed = (row: PerformanceRollup) =>
    row.joinedCount !== 0 ||
    !isZero(row.positiveScoreHistogram) ||
    !isZero(row.negativeScoreHistogram) ||
    !isZero(row.scoreSumByBin) ||
    row.regressionCount !== 0 ||
    row.absoluteErrorSum !== 0 ||
    row.squaredErrorSum !== 0 ||
    row.errorSum !== 0 ||
    !isZero(row.errorHistogram);
  return {
    performance: sortedByKey(performance).filter(changed),
    confusion: sortedByKey(confusion).filter((cell) => cell.count !== 0),
  };
}

/** One array parameter per column, for `unnest`: every row's value of `pick`. */
function columnOf<Row>(tx: postgres.TransactionSql, rows: readonly Row[]) {
  return (pick: (row: Row) => Parameters<typeof textArray>[1][number]) =>
    textArray(tx, rows.map(pick));
}

/**
 * Adds signed contributions to `performance_rollups_minute` and `confusion_rollups_minute`:
 * `n = n + excluded.n` and element-wise array sums, one statement per table for the batch.
 */
export async function addPerformanceRollups(
  tx: postgres.TransactionSql,
  signed: readonly SignedContribution[],
): Promise<void> {
  const { performance, confusion } = aggregatePerformanceRollups(signed);
  // A revised label changes performance without a first join: open dashboards hear of it too.
  await notifyRollupsChanged(
    tx,
    [...performance, ...confusion].map((row) => row.modelId),
  );
  if (performance.length > 0) {
    const column = columnOf(tx, performance);
    await tx`
      insert into performance_rollups_minute as r (
        model_id, minute, version, deployment, label_name, joined_count,
        positive_score_histogram, negative_score_histogram, score_sum_by_bin, regression_count,
        absolute_error_sum, squared_error_sum, error_sum, error_histogram)
      select model_id, minute, version, deployment, label_name, joined_count,
        positive_score_histogram::bigint[], negative_score_histogram::bigint[],
        score_sum_by_bin::float8[], regression_count, absolute_error_sum, squared_error_sum,
        error_sum, error_histogram::bigint[]
      from unnest(
        ${column((r) => r.modelId)}::uuid[], ${column((r) => r.minute)}::timestamptz[],
        ${column((r) => r.version)}::text[], ${column((r) => r.deployment)}::text[],
        ${column((r) => r.labelName)}::text[], ${column((r) => r.joinedCount)}::bigint[],
        ${column((r) => arrayLiteral(r.positiveScoreHistogram))}::text[],
        ${column((r) => arrayLiteral(r.negativeScoreHistogram))}::text[],
        ${column((r) => arrayLiteral(r.scoreSumByBin))}::text[],
        ${column((r) => r.regressionCount)}::bigint[],
        ${column((r) => r.absoluteErrorSum)}::float8[],
        ${column((r) => r.squaredErrorSum)}::float8[], ${column((r) => r.errorSum)}::float8[],
        ${column((r) => arrayLiteral(r.errorHistogram))}::text[]
      ) as t(model_id, minute, version, deployment, label_name, joined_count,
        positive_score_histogram, negative_score_histogram, score_sum_by_bin, regression_count,
        absolute_error_sum, squared_error_sum, error_sum, error_histogram)
      on conflict (model_id, minute, version, deployment, label_name) do update set
        joined_count = r.joined_count + excluded.joined_count,
        positive_score_histogram =
          plumbline_add_counts(r.positive_score_histogram, excluded.positive_score_histogram),
        negative_score_histogram =
          plumbline_add_counts(r.negative_score_histogram, excluded.negative_score_histogram),
        score_sum_by_bin = plumbline_add_sums(r.score_sum_by_bin, excluded.score_sum_by_bin),
        regression_count = r.regression_count + excluded.regression_count,
        absolute_error_sum = r.absolute_error_sum + excluded.absolute_error_sum,
        squared_error_sum = r.squared_error_sum + excluded.squared_error_sum,
        error_sum = r.error_sum + excluded.error_sum,
        error_histogram = plumbline_add_counts(r.error_histogram, excluded.error_histogram)`;
  }
  if (confusion.length > 0) {
    const column = columnOf(tx, confusion);
    await tx`
      insert into confusion_rollups_minute as r (model_id, minute, version, deployment,
        label_name, predicted_class, actual_class, count)
      select * from unnest(
        ${column((r) => r.modelId)}::uuid[], ${column((r) => r.minute)}::timestamptz[],
        ${column((r) => r.version)}::text[], ${column((r) => r.deployment)}::text[],
        ${column((r) => r.labelName)}::text[], ${column((r) => r.predictedClass)}::text[],
        ${column((r) => r.actualClass)}::text[], ${column((r) => r.count)}::bigint[])
      on conflict (model_id, minute, version, deployment, label_name, predicted_class,
        actual_class)
      do update set count = r.count + excluded.count`;
  }
}
