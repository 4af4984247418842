import { z } from "zod";

import {
  MAX_FEATURES_PER_RECORD,
  MAX_METADATA_KEYS,
  MAX_RECORDS_PER_BATCH,
  MAX_SEGMENTS_PER_RECORD,
} from "./limits";
import { ModelReference } from "./model-reference";
import { FieldName, PredictionId } from "./names";
import { missingFieldIsRequired, requiredOr } from "./issues";
import { Float4, rejectUnstorableValues } from "./value-rules";

/** RFC 3339 date-time with an explicit offset (`Z` or `+02:00`); any fractional precision. */
export const Timestamp = z.iso.datetime({
  offset: true,
  error: requiredOr(
    'must be an RFC 3339 date-time with a time zone, for example "2024-06-01T12:00:00Z"',
  ),
});

function atMostKeys(max: number) {
  return (value: Record<string, unknown>) => Object.keys(value).length <= max;
}

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A feature is a scalar (null marks a missing value) or an array of scalars (embeddings, lists). */
export const FeatureValue = z.union([Scalar, z.array(Scalar)], {
  error: "must be a string, number, boolean, null, or an array of those",
});
export type FeatureValue = z.infer<typeof FeatureValue>;

const CheckedFeatures = z
  .record(FieldName, FeatureValue)
  .refine(atMostKeys(MAX_FEATURES_PER_RECORD), {
    error: `must have at most ${MAX_FEATURES_PER_RECORD} features`,
  });
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;

function isFeatureScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  );
}

/** The common case, checked in a plain loop: ingest validates millions of features a minute. */
function isValidFeatures(value: unknown): value is Record<string, FeatureValue> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  let count = 0;
  for (const key in value) {
    count += 1;
    if (count > MAX_FEATURES_PER_RECORD || !FIELD_NAME.test(key)) return false;
    const feature = (value as Record<string, unknown>)[key];
    if (isFeatureScalar(feature)) continue;
    if (!Array.isArray(feature) || !feature.every(isFeatureScalar)) return false;
  }
  return true;
}

/**
 * name -> feature value (at most 2000). Valid input passes a fast hand-written check; invalid
 * input is run through the zod schema for its precise, per-field messages.
 */
export const Features = z.custom<Record<string, FeatureValue>>().superRefine((value, context) => {
  if (isValidFeatures(value)) return;
  const checked = CheckedFeatures.safeParse(value);
  if (checked.success) return;
  for (const issue of checked.error.issues) {
    // Passed on as they are (invalid_key keeps its inner reason for describeIssue).
    context.addIssue(issue as Parameters<typeof context.addIssue>[0]);
  }
});

/** Low-cardinality slicing dimensions; aggregated, so only short scalars. */
export const SegmentValue = z.union([z.string().max(256), z.int(), z.boolean()], {
  error: "must be a string (at most 256 characters), an integer or a boolean",
});

export const Segments = z
  .record(FieldName, SegmentValue)
  .refine(atMostKeys(MAX_SEGMENTS_PER_RECORD), {
    error: `must have at most ${MAX_SEGMENTS_PER_RECORD} segments`,
  });

/** Deepest nesting of objects and arrays accepted in metadata. */
export const MAX_METADATA_DEPTH = 16;

/** Whether a value nests deeper than `limit` levels; stops looking at the limit. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => nestsDeeperThan(child, limit - 1));
}

/** Free-form context: stored with the record, never aggregated. */
export const Metadata = z
  .record(z.string().min(1).max(128), z.unknown())
  .refine(atMostKeys(MAX_METADATA_KEYS), {
    error: `must have at most ${MAX_METADATA_KEYS} keys`,
  })
  .refine((value) => !nestsDeeperThan(value, MAX_METADATA_DEPTH), {
    error: `must not nest objects or arrays more than ${MAX_METADATA_DEPTH} levels deep`,
  });

const ClassLabel = z.union([z.string().min(1).max(256), z.int(), z.boolean()], {
  error: "must be a string, an integer or a boolean",
});
const Probability = z.number().min(0).max(1);

/**
 * What a model answered (or, as `actual`, the truth). `score` is the confidence of `label`, or
 * P(positive) for a binary classifier; `scores` maps each class to its probability.
 */
export const PredictionOutput = z
  .strictObject(
    {
      label: ClassLabel.optional(),
      value: z.number().optional(),
      score: Probability.optional(),
      scores: z.record(z.string().min(1).max(256), Probability).optional(),
      values: z.union([z.array(z.number()), z.record(FieldName, z.number())]).optional(),
      threshold: z.number().optional(),
    },
    {
      error: (issue) => {
        if (issue.input === undefined) return "is required";
        if (issue.code === "invalid_type") return "must be an object";
        return undefined;
      },
    },
  )
  .refine(
    (output) =>
      output.label !== undefined ||
      output.value !== undefined ||
      output.score !== undefined ||
      output.scores !== undefined ||
      output.values !== undefined,
    { error: "must contain at least one of label, value, score, scores, values" },
  );
export type PredictionOutput = z.infer<typeof PredictionOutput>;

export const Trace = z.strictObject({
  trace_id: z.string().min(1).max(128),
  span_id: z.string().min(1).max(128),
});

const recordFields = {
  prediction_id: PredictionId,
  timestamp: Timestamp,
  features: Features.default({}),
  prediction: PredictionOutput,
  actual: PredictionOutput.optional(),
  segments: Segments.optional(),
  metadata: Metadata.optional(),
  request_id: z.string().min(1).max(512).optional(),
  trace: Trace.optional(),
  /** Stored in a `real` column. */
  latency_ms: Float4.min(0).optional(),
  status: z.enum(["ok", "error"]).default("ok"),
  error_code: z.string().min(1).max(128).optional(),
};

/** A record that is not even an object gets a message saying what was expected. */
const recordObjectError = {
  error: (issue: { code?: string }) =>
    issue.code === "invalid_type" ? "must be a prediction record (a JSON object)" : undefined,
};

/** One prediction, complete: what is stored, and what an NDJSON line carries. */
export const PredictionRecord = z
  .strictObject({ ...recordFields, model: ModelReference }, recordObjectError)
  .superRefine(rejectUnstorableValues);
export type PredictionRecord = z.infer<typeof PredictionRecord>;
export type PredictionRecordInput = z.input<typeof PredictionRecord>;

/** A record inside a batch: it may leave `model` to the batch. */
export const BatchPredictionRecord = z
  .strictObject({ ...recordFields, model: ModelReference.optional() }, recordObjectError)
  .superRefine(rejectUnstorableValues);
export type BatchPredictionRecord = z.infer<typeof BatchPredictionRecord>;

/** Merged into every record of a batch; the record's own keys win. */
export const BatchDefaults = z.strictObject({
  segments: Segments.optional(),
  metadata: Metadata.optional(),
});
export type BatchDefaults = z.infer<typeof BatchDefaults>;

const recordsCountError = `must hold 1 to ${MAX_RECORDS_PER_BATCH} records`;

/**
 * The batch with its records left unchecked. Ingest validates each record on its own so that one
 * bad record is rejected alone instead of failing the whole batch.
 */
export const PredictionBatchEnvelope = z.strictObject({
  model: ModelReference.optional(),
  defaults: BatchDefaults.optional(),
  records: z
    .array(z.unknown(), { error: requiredOr("must be an array of prediction records") })
    .min(1, { error: recordsCountError })
    .max(MAX_RECORDS_PER_BATCH, { error: recordsCountError }),
});
export type PredictionBatchEnvelope = z.infer<typeof PredictionBatchEnvelope>;

/** The body of `POST /v1/predictions`, fully checked: what SDKs build and send. */
export const PredictionBatch = z
  .strictObject({
    model: ModelReference.optional(),
    defaults: BatchDefaults.optional(),
    records: z
      .array(BatchPredictionRecord)
      .min(1, { error: recordsCountError })
      .max(MAX_RECORDS_PER_BATCH, { error: recordsCountError }),
  })
  .superRefine((batch, context) => {
    if (batch.model) return;
    batch.records.forEach((record, index) => {
      if (!record.model) {
        context.addIssue({
          code: "custom",
          path: ["records", index, "model"],
          message: "is required when the batch has no model",
        });
      }
    });
  });
export type PredictionBatch = z.infer<typeof PredictionBatch>;
export type PredictionBatchInput = z.input<typeof PredictionBatch>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Defaults first, then the record's own keys; a non-object is left for the schema to report. */
function mergeDefaults(defaults: Record<string, unknown> | undefined, own: unknown): unknown {
  if (defaults === undefined) return own;
  if (own === undefined) return { ...defaults };
  return isPlainObject(own) ? { ...defaults, ...own } : own;
}

/**
 * Applies a batch's `model` and `defaults` to one raw record, before it is validated. The
 * record's own `model` replaces the batch's as a whole (its fields are not mixed).
 */
export function applyBatchDefaults(
  batch: Pick<PredictionBatchEnvelope, "model" | "defaults">,
  record: unknown,
): unknown {
  if (!isPlainObject(record)) return record;
  const merged: Record<string, unknown> = { ...record };
  if (merged.model === undefined && batch.model !== undefined) merged.model = batch.model;
  const segments = mergeDefaults(batch.defaults?.segments, record.segments);
  if (segments !== undefined) merged.segments = segments;
  const metadata = mergeDefaults(batch.defaults?.metadata, record.metadata);
  if (metadata !== undefined) merged.metadata = metadata;
  return merged;
}

/** A validated batch's records, each with the batch's model and defaults applied. */
export function resolvePredictionBatch(batch: PredictionBatch): PredictionRecord[] {
  return batch.records.map((record) => PredictionRecord.parse(applyBatchDefaults(batch, record)));
}

export type PredictionRecordParseResult =
  | { index: number; ok: true; record: PredictionRecord }
  | { index: number; ok: false; predictionId: string | null; issues: z.core.$ZodIssue[] };

export type PredictionBatchParseResult =
  { ok: true; records: PredictionRecordParseResult[] } | { ok: false; issues: z.core.$ZodIssue[] };

/** The record's `prediction_id` when it is a string, to name it in a rejection. */
function rawPredictionId(record: unknown): string | null {
  if (!isPlainObject(record)) return null;
  const id = record.prediction_id;
  return typeof id === "string" ? id.slice(0, 512) : null;
}

/**
 * Parses a batch the way ingest does: a malformed envelope fails as a whole, then each record is
 * merged with the batch's model and defaults and validated on its own.
 */
export function parsePredictionBatch(body: unknown): PredictionBatchParseResult {
  const envelope = PredictionBatchEnvelope.safeParse(body, { error: missingFieldIsRequired });
  if (!envelope.success) return { ok: false, issues: envelope.error.issues };
  const records = envelope.data.records.map((raw, index): PredictionRecordParseResult => {
    const parsed = PredictionRecord.safeParse(applyBatchDefaults(envelope.data, raw), {
      error: missingFieldIsRequired,
    });
    if (parsed.success) return { index, ok: true, record: parsed.data };
    return { index, ok: false, predictionId: rawPredictionId(raw), issues: parsed.error.issues };
  });
  return { ok: true, records };
}
