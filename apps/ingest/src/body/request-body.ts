import { createHash } from "node:crypto";

/** A line of an NDJSON body that is not JSON: rejected as that record, not as the request. */
export class UnparsableLine {
  constructor(readonly message: string) {}
}

export type BodyFormat = "json" | "ndjson" | "other";

/**
 * A request body after decompression and UTF-8 decoding, with what each parser made of it.
 * Routes decide which formats they accept; the raw bytes are kept for the Idempotency-Key hash
 * and for CloudEvents, whose Content-Type cannot be trusted.
 */
export class RequestBody {
  constructor(
    readonly format: BodyFormat,
    readonly contentType: string,
    readonly raw: Buffer,
    /** json: the value; ndjson: `{ records }` with `UnparsableLine` for bad lines; else null. */
    readonly value: unknown,
    /** The decoded text (other), or null when it was not valid UTF-8. */
    readonly text: string | null,
  ) {}

  /** SHA-256 of method, path and the decompressed body: what an Idempotency-Key is bound to. */
  hashFor(method: string, path: string): string {
    return createHash("sha256").update(`${method} ${path}\n`).update(this.raw).digest("hex");
  }
}

/**
 * Rejects the NDJSON lines of `body[field]` that were not JSON, as schema violations at their
 * position, and returns their indexes so validation skips them.
 */
export function rejectUnparsableLines(
  body: unknown,
  field: string,
  rejections: { add: (index: number, id: null, code: "schema_violation", message: string) => void },
): Set<number> {
  const skipped = new Set<number>();
  if (typeof body !== "object" || body === null) return skipped;
  const items = (body as Record<string, unknown>)[field];
  if (!Array.isArray(items)) return skipped;
  items.forEach((item, index) => {
    if (item instanceof UnparsableLine) {
      skipped.add(index);
      rejections.add(index, null, "schema_violation", item.message);
    }
  });
  return skipped;
}
