import { z } from "zod";

/** Why one record of a batch was rejected. The rest of the batch is unaffected. */
export const RECORD_ERROR_CODES = [
  "schema_violation",
  "conflict",
  "unknown_model",
  "unknown_version",
  "timestamp_out_of_range",
  "too_large",
  "forbidden_model",
] as const;
export const RecordErrorCode = z.enum(RECORD_ERROR_CODES);
export type RecordErrorCode = z.infer<typeof RecordErrorCode>;

export const RejectedRecord = z.strictObject({
  /** Position of the record in the request's `records`. */
  index: z.int().min(0),
  /** Null when the record had no readable `prediction_id`. */
  prediction_id: z.string().nullable(),
  code: RecordErrorCode,
  message: z.string(),
});
export type RejectedRecord = z.infer<typeof RejectedRecord>;

/** Something worth knowing that did not stop a record (type mismatches, unknown features). */
export const IngestWarning = z.strictObject({
  index: z.int().min(0).nullable(),
  code: z.string(),
  message: z.string(),
});
export type IngestWarning = z.infer<typeof IngestWarning>;

/**
 * The answer to a batch: 202 when nothing was rejected, 207 when some records were rejected and
 * others accepted (or already stored), 400 when nothing was. Duplicates are records already
 * stored with the same payload: a retry is safe and never double-counts.
 */
export const IngestResponse = z.strictObject({
  accepted: z.int().min(0),
  duplicates: z.int().min(0),
  rejected: z.array(RejectedRecord),
  warnings: z.array(IngestWarning),
});
export type IngestResponse = z.infer<typeof IngestResponse>;

/** Why a whole request failed. */
export const REQUEST_ERROR_CODES = [
  "bad_request",
  "invalid_json",
  "schema_violation",
  "unsupported_media_type",
  "payload_too_large",
  "unauthorized",
  "forbidden",
  "not_found",
  "idempotency_conflict",
  "rate_limited",
  "database_unavailable",
  "internal_error",
] as const;
export const RequestErrorCode = z.enum(REQUEST_ERROR_CODES);
export type RequestErrorCode = z.infer<typeof RequestErrorCode>;

export const ErrorResponse = z.strictObject({
  error: RequestErrorCode,
  message: z.string(),
  /** For `schema_violation`: each problem with the path of the field. */
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
