/**
 * The rows every time chart draws: one per bucket start, values by series key, `null` where no
 * data arrived (drawn as a gap, never as zero), and the bucket still filling marked so it can
 * be drawn as in progress.
 */
export type TimeValue = number | null;
export type BandValue = [number, number] | null;

export interface TimeRow {
  /** Bucket start, epoch milliseconds. */
  t: number;
  inProgress: boolean;
  [key: string]: number | boolean | [number, number] | null;
}

/** The suffix of the copy of a series that draws only its last, still-filling segment. */
export const LIVE_SUFFIX = "~live";

/**
 * Builds rows from bucket starts and per-series values (each array aligned with the starts).
 * A missing value (shorter array, undefined) is a gap.
 */
export function buildTimeRows(
  bucketStarts: readonly (Date | number)[],
  series: Record<string, readonly (TimeValue | BandValue | undefined)[]>,
  inProgressBucket: Date | number | null,
): TimeRow[] {
  const inProgressMs = inProgressBucket === null ? null : Number(inProgressBucket.valueOf());
  return bucketStarts.map((start, index) => {
    const t = Number(start.valueOf());
    const row: TimeRow = { t, inProgress: t === inProgressMs };
    for (const [key, values] of Object.entries(series)) row[key] = values[index] ?? null;
    return row;
  });
}

/**
 * Splits each series at the bucket in progress: the series itself stops at the last complete
 * bucket, and `key~live` holds only the last complete value and the value in progress, so the
 * chart can draw that final segment dashed and faded. A count still filling up would otherwise
 * look like a crash in traffic.
 */
export function splitInProgress(rows: readonly TimeRow[], keys: readonly string[]): TimeRow[] {
  const liveIndex = rows.findIndex((row) => row.inProgress);
  if (liveIndex === -1) return rows.map((row) => ({ ...row }));
  return rows.map((row, index) => {
    const next: TimeRow = { ...row };
    for (const key of keys) {
      const value = row[key] ?? null;
      next[`${key}${LIVE_SUFFIX}`] = index === liveIndex || index === liveIndex - 1 ? value : null;
      if (index === liveIndex) next[key] = null;
    }
    return next;
  });
}

/** The first and last bucket starts, widened by half a bucket so bars and points fit inside. */
export function timeDomain(rows: readonly TimeRow[], bucketMs: number): [number, number] {
  const first = rows[0]?.t ?? 0;
  const last = rows[rows.length - 1]?.t ?? first;
  return [first - bucketMs / 2, last + bucketMs / 2];
}

/** True when no series has a single value: the chart shows its empty state instead. */
export function hasAnyValue(rows: readonly TimeRow[], keys: readonly string[]): boolean {
  return rows.some((row) => keys.some((key) => row[key] !== null && row[key] !== undefined));
}

/**
 * Indices whose value stands alone between gaps: a line cannot draw a single point, so the
 * chart puts a dot there instead of losing the value.
 */
export function isolatedIndices(rows: readonly TimeRow[], key: string): Set<number> {
  const isolated = new Set<number>();
  const present = (index: number) => {
    const value = rows[index]?.[key];
    return value !== null && value !== undefined;
  };
  rows.forEach((_, index) => {
    if (present(index) && !present(index - 1) && !present(index + 1)) isolated.add(index);
  });
  return isolated;
}
