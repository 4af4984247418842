import { bucketStarts, type ResolvedWindow } from "@plumbline/contracts";

/** What every bucketed dashboard answer says about its window. */
export interface DashboardWindow {
  /** Bucket-aligned `[from, to)`. */
  from: Date;
  to: Date;
  bucketMs: number;
  /** Start of the bucket still filling (drawn as in progress), or null for a past range. */
  inProgressBucket: Date | null;
}

/** The start and in-progress flag every bucket of a series carries. */
export interface BucketPoint {
  bucketStart: Date;
  inProgress: boolean;
}

/** Every bucket of a window, oldest first, with an index from bucket start (epoch ms) to slot. */
export interface BucketAxis {
  window: DashboardWindow;
  points: BucketPoint[];
  indexOf: (bucketStartMs: number) => number | undefined;
}

export function buildBucketAxis(resolved: ResolvedWindow): BucketAxis {
  const inProgressMs = resolved.inProgressBucket?.getTime() ?? null;
  const points = bucketStarts(resolved).map((bucketStart) => ({
    bucketStart,
    inProgress: bucketStart.getTime() === inProgressMs,
  }));
  const slots = new Map(points.map((point, index) => [point.bucketStart.getTime(), index]));
  return {
    window: {
      from: resolved.from,
      to: resolved.to,
      bucketMs: resolved.bucketMs,
      inProgressBucket: resolved.inProgressBucket,
    },
    points,
    indexOf: (bucketStartMs) => slots.get(bucketStartMs),
  };
}

/**
 * One value per bucket of the axis from sparse per-bucket rows: a bucket no row reached gets
 * `empty()` (null values: a gap is a gap, not a zero).
 */
export function fillBuckets<Row, Value>(
  axis: BucketAxis,
  rows: readonly Row[],
  bucketOf: (row: Row) => number,
  valueOf: (row: Row, point: BucketPoint) => Value,
  empty: (point: BucketPoint) => Value,
): Value[] {
  const filled: (Value | undefined)[] = new Array<Value | undefined>(axis.points.length);
  for (const row of rows) {
    const slot = axis.indexOf(bucketOf(row));
    if (slot !== undefined) filled[slot] = valueOf(row, axis.points[slot]!);
  }
  return axis.points.map((point, slot) => filled[slot] ?? empty(point));
}

/** `numerator / denominator`, or null when the denominator is not positive. */
export function shareOf(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
