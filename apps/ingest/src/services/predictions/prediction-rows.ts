import { createHash } from "node:crypto";

import { microsecondTimestamp, type PredictionRecord } from "@plumbline/contracts";

import { copyRow, copyText } from "../sql/copy-text";
import type { BinnedRecord } from "../rollups/feature-bins";
import type { FeatureCheck } from "./feature-schema-check";
import type { RollupInput } from "../rollups/minute-rollups";
import { canonicalJson } from "../idempotency/payload-hash";

/** The SQL type of each copied column, for the `unnest` insert of small batches. */
export const PREDICTION_COLUMN_TYPES = [
  "uuid",
  "timestamptz",
  "text",
  "text",
  "text",
  "text",
  "jsonb",
  "jsonb",
  "jsonb",
  "jsonb",
  "jsonb",
  "float8",
  "text",
  "text",
  "text",
  "real",
  "text",
  "text",
] as const;

/** The `predictions` columns the COPY writes, in this order (received_at takes its default). */
export const PREDICTION_COPY_COLUMNS = [
  "model_id",
  "ts",
  "prediction_id",
  "version",
  "deployment",
  "environment",
  "features",
  "prediction",
  "actual",
  "segments",
  "metadata",
  "score",
  "request_id",
  "trace_id",
  "span_id",
  "latency_ms",
  "status",
  "error_code",
] as const;

/** A record that passed every check outside the database, ready to be deduplicated and stored. */
export interface PreparedPrediction {
  /** Position in the request's `records`. */
  index: number;
  modelSlug: string;
  modelId: string;
  version: string;
  predictionId: string;
  /** The instant, to the millisecond: for minute buckets and comparisons. */
  ts: Date;
  /** The stored timestamp text, to the microsecond: what every write to PostgreSQL uses. */
  tsText: string;
  /** Dedup key: model, version and prediction id. */
  key: string;
  /** Hash of the stored form, so a replay matches whatever key order the client used. */
  hash: string;
  /** The row's cells as text (null for NULL), in PREDICTION_COPY_COLUMNS order. */
  cells: (string | null)[];
  /** The row in COPY text format, newline included. */
  copyLine: string;
  rollup: RollupInput;
  binned: BinnedRecord;
}

export function dedupKey(modelId: string, version: string, predictionId: string): string {
  return `${modelId}\u0000${version}\u0000${predictionId}`;
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : canonicalJson(value);
}

/**
 * Serialises a validated record once: the canonical JSON of each column is both what COPY
 * writes and what the payload hash covers, so hashing costs no second serialisation.
 */
export function preparePrediction(
  index: number,
  modelId: string,
  record: PredictionRecord,
  ts: Date,
  check: FeatureCheck = { unknownFeatures: 0, typeMismatches: 0 },
  partial = false,
): PreparedPrediction {
  const version = record.model.version;
  // The record's own text keeps its microseconds (a plain Date holds milliseconds only).
  const tsText = microsecondTimestamp(record.timestamp) ?? ts.toISOString();
  const score = record.prediction.score ?? null;
  const latencyMs = record.latency_ms ?? null;
  const cells = [
    modelId,
    tsText,
    record.prediction_id,
    version,
    record.model.deployment,
    record.model.environment,
    canonicalJson(record.features),
    canonicalJson(record.prediction),
    jsonOrNull(record.actual),
    jsonOrNull(record.segments),
    jsonOrNull(record.metadata),
    score === null ? null : String(score),
    record.request_id ?? null,
    record.trace?.trace_id ?? null,
    record.trace?.span_id ?? null,
    latencyMs === null ? null : String(latencyMs),
    record.status,
    record.error_code ?? null,
  ];
  const hash = createHash("sha256")
    .update(cells.map((cell) => cell ?? "\u0000").join("\u001f"))
    .digest("hex");
  const copyLine = copyRow(cells.map(copyText));
  return {
    index,
    modelSlug: record.model.id,
    modelId,
    version,
    predictionId: record.prediction_id,
    ts,
    tsText,
    key: dedupKey(modelId, version, record.prediction_id),
    hash,
    cells,
    copyLine,
    rollup: {
      modelId,
      version,
      deployment: record.model.deployment,
      ts,
      score,
      latencyMs,
      status: record.status,
      segments: record.segments ?? null,
      unknownFeatures: check.unknownFeatures,
      typeMismatches: check.typeMismatches,
      partial,
    },
    binned: {
      modelId,
      version,
      deployment: record.model.deployment,
      ts,
      features: record.features,
      prediction: record.prediction,
    },
  };
}
