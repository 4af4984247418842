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
 * Raw dataset rows as reference rows (features, prediction, score), refusing an empty or
 * oversized dataset, rows that are not objects, and values the database cannot store (a NUL, a
 * lone surrogate, a column nested too deep), naming the row and the column.
 */
export function toReferenceRows(raw: readonly unknown[]): ReferenceRow[] {
  if (raw.length === 0) throw new BaselineDataError("it has no rows");
  if (raw.length > MAX_BASELINE_ROWS) {
    throw new BaselineDataError(`it has more than ${MAX_BASELINE_ROWS} rows`);
  }
  return raw.map((item, index) => {
    const row = toReferenceRow(item);
    if (!row) throw new BaselineDataError(`row ${index} is not an object`);
    const unstorable = findUnstorableValue(item);
    if (unstorable) {
      throw new BaselineDataError(
        `row ${index}, column ${formatIssuePath(unstorable.path)}: ${unstorable.message}`,
      );
    }
    return row;
  });
}
