import type { BandValue, TimeRow, TimeValue } from "~/components/charts/time-rows";

/** What every bucket of a dashboard series carries (see the dashboard router). */
export interface BucketLike {
  bucketStart: Date;
  inProgress: boolean;
}

export type BucketPick<B> = (bucket: B) => TimeValue | BandValue;

/**
 * Rows for one chart from one or more slices (a comparison queries two), each value keyed
 * `slice:field`. Buckets are matched by their start: two queries made a moment apart may
 * disagree on the newest bucket, so the union of starts is drawn and a slice without a bucket
 * has a gap there.
 */
export function mergeBucketSeries<B extends BucketLike>(
  slices: readonly { key: string; buckets: readonly B[] }[],
  fields: Record<string, BucketPick<B>>,
): TimeRow[] {
  const rows = new Map<number, TimeRow>();
  const rowAt = (t: number) => {
    let row = rows.get(t);
    if (!row) {
      row = { t, inProgress: false };
      for (const slice of slices) {
        for (const field of Object.keys(fields)) row[`${slice.key}:${field}`] = null;
      }
      rows.set(t, row);
    }
    return row;
  };
  for (const slice of slices) {
    for (const bucket of slice.buckets) {
      const row = rowAt(bucket.bucketStart.getTime());
      if (bucket.inProgress) row.inProgress = true;
      for (const [field, pick] of Object.entries(fields)) {
        row[`${slice.key}:${field}`] = pick(bucket);
      }
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** A `[low, high]` band when both ends are known, else a gap. */
export function band(low: number | null | undefined, high: number | null | undefined): BandValue {
  return low === null || low === undefined || high === null || high === undefined
    ? null
    : [low, high];
}

/** The in-progress bucket start of merged rows (epoch ms), or null for a past range. */
export function inProgressStart(rows: readonly TimeRow[]): number | null {
  return rows.find((row) => row.inProgress)?.t ?? null;
}
