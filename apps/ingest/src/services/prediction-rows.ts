import type { PredictionRecord } from "@plumbline/contracts";
import type { NewPrediction } from "@plumbline/db/schema";

import type { RollupInput } from "./minute-rollups";
import { payloadHash } from "./payload-hash";

/** A record that passed every check outside the database, ready to be deduplicated and stored. */
export interface PreparedPrediction {
  /** Position in the request's `records`. */
  index: number;
  modelSlug: string;
  row: NewPrediction & { ts: Date; version: string; predictionId: string };
  /** Dedup key: model, version and prediction id. */
  key: string;
  /** Hash of the stored form, so a replay matches whatever key order the client used. */
  hash: string;
  rollup: RollupInput;
}

export function dedupKey(modelId: string, version: string, predictionId: string): string {
  return `${modelId}\u0000${version}\u0000${predictionId}`;
}

export function preparePrediction(
  index: number,
  modelId: string,
  record: PredictionRecord,
  ts: Date,
): PreparedPrediction {
  const row = {
    modelId,
    ts,
    predictionId: record.prediction_id,
    version: record.model.version,
    deployment: record.model.deployment,
    environment: record.model.environment,
    features: record.features,
    prediction: record.prediction,
    actual: record.actual ?? null,
    segments: record.segments ?? null,
    metadata: record.metadata ?? null,
    score: record.prediction.score ?? null,
    requestId: record.request_id ?? null,
    traceId: record.trace?.trace_id ?? null,
    spanId: record.trace?.span_id ?? null,
    latencyMs: record.latency_ms ?? null,
    status: record.status,
    errorCode: record.error_code ?? null,
  };
  return {
    index,
    modelSlug: record.model.id,
    row,
    key: dedupKey(modelId, row.version, row.predictionId),
    hash: payloadHash(row),
    rollup: {
      modelId,
      version: row.version,
      deployment: row.deployment,
      ts,
      score: row.score,
      latencyMs: row.latencyMs,
      status: row.status,
    },
  };
}
