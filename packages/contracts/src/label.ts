import { z } from "zod";

import { missingFieldIsRequired, requiredOr } from "./issues";

import { MAX_LABELS_PER_BATCH } from "./limits";
import { LabelModelReference } from "./model-reference";
import { FieldName, PredictionId } from "./names";
import { Metadata, PredictionOutput, Timestamp } from "./prediction";
import { Float8, Int4, rejectUnstorableValues } from "./value-rules";

export const LABEL_SOURCES = ["system", "human", "llm", "heuristic", "customer_feedback"] as const;
export const LabelSource = z.enum(LABEL_SOURCES);
export type LabelSource = z.infer<typeof LabelSource>;

const labelFields = {
  prediction_id: PredictionId,
  /** Several named labels may describe one prediction ("default", "fraud_confirmed", ...). */
  label_name: FieldName.default("default"),
  actual: PredictionOutput,
  observed_at: Timestamp.optional(),
  source: LabelSource.optional(),
  annotator: z.string().min(1).max(256).optional(),
  weight: Float8.min(0).default(1),
  /** Upserts keep the label with the highest revision. */
  revision: Int4.min(0).default(0),
  metadata: Metadata.optional(),
};

/**
 * Delayed ground truth, joined to its prediction by id. Upsert key: (project, model id,
 * prediction id, label name). Without `model.version` it applies to every version.
 */
export const LabelRecord = z
  .strictObject({ ...labelFields, model: LabelModelReference })
  .superRefine(rejectUnstorableValues);
export type LabelRecord = z.infer<typeof LabelRecord>;
export type LabelRecordInput = z.input<typeof LabelRecord>;

/** A label inside a batch: it may leave `model` to the batch. */
export const BatchLabelRecord = z
  .strictObject({ ...labelFields, model: LabelModelReference.optional() })
  .superRefine(rejectUnstorableValues);

const labelsCountError = `must hold 1 to ${MAX_LABELS_PER_BATCH} labels`;

/** The body of `POST /v1/labels`. */
export const LabelBatch = z
  .strictObject({
    model: LabelModelReference.optional(),
    labels: z
      .array(BatchLabelRecord)
      .min(1, { error: labelsCountError })
      .max(MAX_LABELS_PER_BATCH, { error: labelsCountError }),
  })
  .superRefine((batch, context) => {
    if (batch.model) return;
    batch.labels.forEach((label, index) => {
      if (!label.model) {
        context.addIssue({
          code: "custom",
          path: ["labels", index, "model"],
          message: "is required when the batch has no model",
        });
      }
    });
  });
export type LabelBatch = z.infer<typeof LabelBatch>;
export type LabelBatchInput = z.input<typeof LabelBatch>;

/** The batch's labels with the batch's model applied where a label has none. */
export function resolveLabelBatch(batch: LabelBatch): LabelRecord[] {
  return batch.labels.map((label, index) => {
    const model = label.model ?? batch.model;
    // LabelBatch's refinement guarantees one of the two; this guards against hand-built input.
    if (!model) throw new Error(`labels[${index}].model is required`);
    return { ...label, model };
  });
}

/** The label batch with its labels left unchecked, so each label is validated on its own. */
export const LabelBatchEnvelope = z.strictObject({
  model: LabelModelReference.optional(),
  labels: z
    .array(z.unknown(), { error: requiredOr("must be an array of labels") })
    .min(1, { error: labelsCountError })
    .max(MAX_LABELS_PER_BATCH, { error: labelsCountError }),
});

export type LabelRecordParseResult =
  | { index: number; ok: true; label: LabelRecord }
  | { index: number; ok: false; predictionId: string | null; issues: z.core.$ZodIssue[] };

export type LabelBatchParseResult =
  { ok: true; labels: LabelRecordParseResult[] } | { ok: false; issues: z.core.$ZodIssue[] };

/**
 * Parses a label batch the way ingest does: a malformed envelope fails as a whole, then each
 * label takes the batch's model when it has none and is validated on its own.
 */
export function parseLabelBatch(body: unknown): LabelBatchParseResult {
  const envelope = LabelBatchEnvelope.safeParse(body, { error: missingFieldIsRequired });
  if (!envelope.success) return { ok: false, issues: envelope.error.issues };
  const labels = envelope.data.labels.map((raw, index): LabelRecordParseResult => {
    const isObject = typeof raw === "object" && raw !== null && !Array.isArray(raw);
    const merged =
      isObject && (raw as { model?: unknown }).model === undefined && envelope.data.model
        ? { ...raw, model: envelope.data.model }
        : raw;
    const parsed = LabelRecord.safeParse(merged, { error: missingFieldIsRequired });
    if (parsed.success) return { index, ok: true, label: parsed.data };
    const id = isObject ? (raw as { prediction_id?: unknown }).prediction_id : undefined;
    return {
      index,
      ok: false,
      predictionId: typeof id === "string" ? id.slice(0, 512) : null,
      issues: parsed.error.issues,
    };
  });
  return { ok: true, labels };
}
