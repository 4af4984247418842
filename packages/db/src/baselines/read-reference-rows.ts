import { findUnstorableValue, formatIssuePath, MAX_BASELINE_ROWS } from "@plumbline/contracts";

import { BaselineDataError } from "./baseline-data-error";
import { CsvError, parseCsv } from "./parse-csv";
import { toReferenceRow, type ReferenceRow } from "./reference-columns";

/** The rows of a JSON dataset: an array, or an object with a `rows` (or `records`) array. */
export function rowsOfJsonDataset(value: unknown): unknown[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === "object" && value !== null
      ? ((value as Record<string, unknown>).rows ?? (value as Record<string, unknown>).records)
      : undefined;
  if (!Array.isArray(list)) {
    throw new BaselineDataError("expected a JSON array of rows, or an object with a `rows` array");
  }
  return list;
}

/** The rows of a CSV dataset (the first line names the columns). */
export function rowsOfCsvDataset(text: string): unknown[] {
  try {
    return parseCsv(text, MAX_BASELINE_ROWS).rows;
  } catch (error) {
    if (error instanceof CsvError) throw new BaselineDataError(error.message);
    throw error;
  }
}

/**
 * Collects a dataset's rows one at a time as reference rows (features, prediction, score),
 * refusing an oversized dataset as soon as it passes the limit, rows that are not objects, and
 * values the database cannot store (a NUL, a lone surrogate, a column nested too deep), naming
 * the row and the column. Only the kept reference rows are held, so a stream of rows costs no
 * more memory than its result.
 */
export class ReferenceRowCollector {
  readonly rows: ReferenceRow[] = [];

  constructor(private readonly maxRows = MAX_BASELINE_ROWS) {}

  add(item: unknown): void {
    const index = this.rows.length;
    if (index >= this.maxRows) {
      throw new BaselineDataError(`it has more than ${this.maxRows} rows`);
    }
    const row = toReferenceRow(item);
    if (!row) throw new BaselineDataError(`row ${index} is not an object`);
    const unstorable = findUnstorableValue(item);
    if (unstorable) {
      throw new BaselineDataError(
        `row ${index}, column ${formatIssuePath(unstorable.path)}: ${unstorable.message}`,
      );
    }
    this.rows.push(row);
  }

  /** The rows, refusing an empty dataset. */
  finish(): ReferenceRow[] {
    if (this.rows.length === 0) throw new BaselineDataError("it has no rows");
    return this.rows;
  }
}

/** Raw dataset rows as reference rows, by the rules of `ReferenceRowCollector`. */
export function toReferenceRows(raw: readonly unknown[]): ReferenceRow[] {
  if (raw.length === 0) throw new BaselineDataError("it has no rows");
  if (raw.length > MAX_BASELINE_ROWS) {
    throw new BaselineDataError(`it has more than ${MAX_BASELINE_ROWS} rows`);
  }
  const collector = new ReferenceRowCollector();
  for (const item of raw) collector.add(item);
  return collector.finish();
}
