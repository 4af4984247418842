import type { PredictionLookupResponse, StoredLabel, StoredPrediction } from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import { asDate, asDateOrNull } from "../sql/sql-arrays";

interface PredictionRow {
  version: string;
  deployment: string;
  environment: string;
  ts: Date | string;
  received_at: Date | string;
  features: Record<string, unknown>;
  prediction: Record<string, unknown>;
  actual: Record<string, unknown> | null;
  segments: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  request_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  latency_ms: number | null;
  status: string;
  error_code: string | null;
}

interface LabelRow {
  label_name: string;
  version: string | null;
  actual: Record<string, unknown>;
  observed_at: Date | string;
  source: string | null;
  annotator: string | null;
  weight: number;
  revision: number;
  metadata: Record<string, unknown> | null;
  joined_at: Date | string | null;
  delay_ms: number | null;
}

function toStoredPrediction(row: PredictionRow): StoredPrediction {
  return {
    version: row.version,
    deployment: row.deployment,
    environment: row.environment,
    timestamp: asDate(row.ts).toISOString(),
    received_at: asDate(row.received_at).toISOString(),
    features: row.features,
    prediction: row.prediction,
    actual: row.actual,
    segments: row.segments,
    metadata: row.metadata,
    request_id: row.request_id,
    trace: row.trace_id && row.span_id ? { trace_id: row.trace_id, span_id: row.span_id } : null,
    latency_ms: row.latency_ms,
    status: row.status,
    error_code: row.error_code,
  };
}

function toStoredLabel(row: LabelRow): StoredLabel {
  return {
    label_name: row.label_name,
    version: row.version,
    actual: row.actual,
    observed_at: asDate(row.observed_at).toISOString(),
    source: row.source,
    annotator: row.annotator,
    weight: row.weight,
    revision: row.revision,
    metadata: row.metadata,
    joined_at: asDateOrNull(row.joined_at)?.toISOString() ?? null,
    delay_ms: row.delay_ms === null ? null : Number(row.delay_ms),
  };
}

/**
 * One prediction id of one model: every version that logged it and its labels, or null when
 * neither exists. The dedup keys give each version's timestamp, so each raw row is read from
 * its own partition by primary key.
 */
export async function lookupPrediction(
  sql: SqlClient,
  input: { modelId: string; modelSlug: string; predictionId: string; version?: string },
): Promise<PredictionLookupResponse | null> {
  const version = input.version ?? null;
  const predictions = await sql<PredictionRow[]>`
    select p.version, p.deployment, p.environment, p.ts, p.received_at, p.features, p.prediction,
      p.actual, p.segments, p.metadata, p.request_id, p.trace_id, p.span_id, p.latency_ms,
      p.status, p.error_code
    from prediction_keys k
    join predictions p on p.model_id = k.model_id and p.ts = k.ts
      and p.prediction_id = k.prediction_id and p.version = k.version
    where k.model_id = ${input.modelId} and k.prediction_id = ${input.predictionId}
      and (${version}::text is null or k.version = ${version}::text)
    order by p.ts, p.version`;
  const labels = await sql<LabelRow[]>`
    select label_name, version, actual, observed_at, source, annotator, weight, revision, metadata,
      joined_at, delay_ms
    from labels
    where model_id = ${input.modelId} and prediction_id = ${input.predictionId}
      and (${version}::text is null or version is null or version = ${version}::text)
    order by label_name`;
  if (predictions.length === 0 && labels.length === 0) return null;
  return {
    model_id: input.modelSlug,
    prediction_id: input.predictionId,
    predictions: predictions.map(toStoredPrediction),
    labels: labels.map(toStoredLabel),
  };
}
