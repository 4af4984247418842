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

/**
 * Warning codes: data-quality signals that never stop a record. One warning per (code, field)
 * per request, naming how many records it concerned and the first one's index.
 */
export const INGEST_WARNING_CODES = [
  /** A feature that is not in the model's registered feature schema. */
  "unknown_feature",
  /** A feature whose value does not have the registered type. */
  "type_mismatch",
  /** Labels stored but waiting for their prediction (joined when it arrives). */
  "label_pending",
  /** A label not applied because the stored one has a higher revision. */
  "stale_revision",
  /** Too many distinct warnings: the rest are counted, not listed. */
  "warnings_truncated",
] as const;
export type IngestWarningCode = (typeof INGEST_WARNING_CODES)[number];

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
  /** The body says `Content-Encoding: gzip` but is not complete, valid gzip. */
  "invalid_gzip",
  /** A CloudEvent without its required attributes (Ce-Id, Ce-Type, Ce-Specversion). */
  "invalid_cloudevent",
  "schema_violation",
  "unsupported_media_type",
  /** A `Content-Encoding` other than gzip or identity. */
  "unsupported_encoding",
  "payload_too_large",
  "unauthorized",
  "forbidden",
  "not_found",
  "idempotency_conflict",
  "rate_limited",
  /** The service is at its in-flight request limit; retry after Retry-After. */
  "overloaded",
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
