import { z } from "zod";

/**
 * The answer of `GET /v1/predictions/{model_id}/{prediction_id}`: every version that logged the
 * prediction id (a canary or shadow version may log the same id as the stable one), and its
 * labels. `?version=` narrows the lookup to one version.
 */
export const StoredPrediction = z.strictObject({
  version: z.string(),
  deployment: z.string(),
  environment: z.string(),
  timestamp: z.string(),
  received_at: z.string(),
  features: z.record(z.string(), z.unknown()),
  prediction: z.record(z.string(), z.unknown()),
  actual: z.record(z.string(), z.unknown()).nullable(),
  segments: z.record(z.string(), z.unknown()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  request_id: z.string().nullable(),
  trace: z.strictObject({ trace_id: z.string(), span_id: z.string() }).nullable(),
  latency_ms: z.number().nullable(),
  status: z.string(),
  error_code: z.string().nullable(),
});
export type StoredPrediction = z.infer<typeof StoredPrediction>;

export const StoredLabel = z.strictObject({
  label_name: z.string(),
  /** Null when the label applies to every version that logged the prediction. */
  version: z.string().nullable(),
  actual: z.record(z.string(), z.unknown()),
  observed_at: z.string(),
  source: z.string().nullable(),
  annotator: z.string().nullable(),
  weight: z.number(),
  revision: z.int(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  /** When the label met its prediction; null while the prediction has not arrived. */
  joined_at: z.string().nullable(),
  /** observed_at minus the prediction's timestamp, once joined. */
  delay_ms: z.number().nullable(),
});
export type StoredLabel = z.infer<typeof StoredLabel>;

export const PredictionLookupResponse = z.strictObject({
  model_id: z.string(),
  prediction_id: z.string(),
  predictions: z.array(StoredPrediction),
  labels: z.array(StoredLabel),
});
export type PredictionLookupResponse = z.infer<typeof PredictionLookupResponse>;
