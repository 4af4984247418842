import type { DriftStatus } from "./palette";

export interface HeatMapCell {
  /** Bucket start, epoch milliseconds. */
  t: number;
  status: DriftStatus | null;
  jsDistance: number | null;
  count: number;
}

export interface HeatMapRow {
  key: string;
  label: string;
  /** A smaller second label (the target: feature, prediction, score). */
  detail?: string;
  href?: string;
  cells: HeatMapCell[];
}

/**
 * Aligns each row's cells to the window's bucket starts: a bucket a row has no cell for is
 * empty (no data), never `ok`. Cells outside the window are dropped.
 */
export function alignHeatMapRows(
  rows: readonly HeatMapRow[],
  bucketStarts: readonly number[],
): HeatMapRow[] {
  return rows.map((row) => {
    const byStart = new Map(row.cells.map((cell) => [cell.t, cell]));
    return {
      ...row,
      cells: bucketStarts.map(
        (t) => byStart.get(t) ?? { t, status: null, jsDistance: null, count: 0 },
      ),
    };
  });
}

/** How many cells carry each status, for the legend ("3 alert"). */
export function countStatuses(rows: readonly HeatMapRow[]): Record<DriftStatus, number> {
  const counts: Record<DriftStatus, number> = {
    ok: 0,
    warn: 0,
    alert: 0,
    inconclusive: 0,
    no_data: 0,
  };
  for (const row of rows) {
    for (const cell of row.cells) if (cell.status) counts[cell.status] += 1;
  }
  return counts;
}
