import type { RejectedRecord } from "@plumbline/contracts";

/** Which endpoint a record goes to. */
export type RecordKind = "prediction" | "label";

/**
 * Everything the client could not deliver, reported through `onError` (never thrown: logging
 * must not break inference).
 * - `rejected`: the server refused these records (its per-record results of a 207 or 400).
 * - `invalid_record`: the client refused a record before sending it (no model, not serialisable
 *   to JSON, larger than a request may be, or logged after `close()`).
 * - `buffer_full`: the buffer is full and new records are being dropped; reported once each time
 *   the buffer overflows, not once per dropped record.
 * - `batch_failed`: a whole batch was given up (retries exhausted, bad API key, malformed batch).
 */
export type PlumblineErrorEvent =
  | { type: "rejected"; kind: RecordKind; status: number; rejected: RejectedRecord[] }
  | { type: "invalid_record"; kind: RecordKind; predictionId: string | null; message: string }
  | { type: "buffer_full"; kind: RecordKind; capacity: number }
  | {
      type: "batch_failed";
      kind: RecordKind;
      records: number;
      /** The last HTTP status, or null when the last attempt got no answer (network, timeout). */
      status: number | null;
      message: string;
    };

/** Running totals since the client started, predictions and labels together. */
export interface ClientStats {
  /** Records the server acknowledged as stored (accepted now, or already stored: `duplicates`). */
  sent: number;
  /** Of `sent`, records the server already had (a retry after a lost answer, for example). */
  duplicates: number;
  /** Records discarded because the buffer was full or the client was closed. */
  dropped: number;
  /** Records refused, by the server (per-record errors) or by the client before sending. */
  rejected: number;
  /** HTTP attempts repeated after a 429, a 5xx, a timeout or a network error. */
  retries: number;
  /** Batches given up; their records are counted in `failedRecords`. */
  failedBatches: number;
  failedRecords: number;
  /** Records waiting in the buffer right now (not counting a batch being sent). */
  buffered: number;
}

export type MutableCounters = Omit<ClientStats, "buffered">;

export function emptyCounters(): MutableCounters {
  return {
    sent: 0,
    duplicates: 0,
    dropped: 0,
    rejected: 0,
    retries: 0,
    failedBatches: 0,
    failedRecords: 0,
  };
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports network failures as "fetch failed" with the useful part in `cause`.
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
