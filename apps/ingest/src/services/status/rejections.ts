import {
  escapeUnstorableText,
  type RecordErrorCode,
  type RejectedRecord,
} from "@plumbline/contracts";

/** Rejected records of one request, reported in the order they appeared in the batch. */
export class Rejections {
  private readonly entries: RejectedRecord[] = [];

  /**
   * The id and message may quote what the client sent (a bad id, an unknown key): NUL and lone
   * surrogates in them are escaped, because the answer is stored for Idempotency-Key replays.
   */
  add(index: number, predictionId: string | null, code: RecordErrorCode, message: string) {
    this.entries.push({
      index,
      prediction_id: predictionId === null ? null : escapeUnstorableText(predictionId),
      code,
      message: escapeUnstorableText(message),
    });
  }

  every(predicate: (entry: RejectedRecord) => boolean): boolean {
    return this.entries.every(predicate);
  }

  /** An independent copy (a retried transaction starts again from the pre-database rejections). */
  copy(): Rejections {
    const copy = new Rejections();
    copy.entries.push(...this.entries);
    return copy;
  }

  toList(): RejectedRecord[] {
    return [...this.entries].sort((a, b) => a.index - b.index);
  }
}
