import { sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";

import type { DashboardModel } from "./find-dashboard-model";
import { epochMs, selectRows } from "./rollup-sql";

/** What the model answered, as the lookup shows it. */
export interface PredictionOutputView {
  label: string | number | boolean | null;
  score: number | null;
  value: number | null;
  /** Class -> probability, when the model sent them. */
  scores: Record<string, number> | null;
}

export interface LookedUpPrediction {
  version: string;
  deployment: string;
  environment: string;
  timestamp: Date;
  receivedAt: Date;
  features: Record<string, unknown>;
  output: PredictionOutputView;
  segments: Record<string, unknown> | null;
  latencyMs: number | null;
  status: string;
  errorCode: string | null;
}

export interface LookedUpLabel {
  labelName: string;
  /** Null when the label applies to every version that logged the prediction. */
  version: string | null;
  actual: Record<string, unknown>;
  observedAt: Date;
  revision: number;
  joinedAt: Date | null;
  delayMs: number | null;
}

export interface PredictionLookup {
  predictionId: string;
  /** Every version that logged the id (a canary may log the same id as the stable version). */
  predictions: LookedUpPrediction[];
  labels: LookedUpLabel[];
}

interface PredictionRow {
  version: string;
  deployment: string;
  environment: string;
  ts_ms: number;
  received_at_ms: number;
  features: Record<string, unknown>;
  prediction: Record<string, unknown>;
  segments: Record<string, unknown> | null;
  latency_ms: number | null;
  status: string;
  error_code: string | null;
}

interface LabelRow {
  label_name: string;
  version: string | null;
  actual: Record<string, unknown>;
  observed_at_ms: number;
  revision: number;
  joined_at_ms: number | null;
  delay_ms: number | null;
}

/**
 * One prediction id of one model, or null when neither a prediction nor a label has it. The
 * dedup keys give each version's timestamp, so each raw row is read from its own partition by
 * primary key (the one raw-table read of the dashboard, a keyed lookup).
 */
export async function lookupPrediction(
  db: Database,
  model: DashboardModel,
  predictionId: string,
): Promise<PredictionLookup | null> {
  const [predictions, labels] = await Promise.all([
    selectRows<PredictionRow>(
      db,
      sql`
        select p.version, p.deployment, p.environment, ${epochMs("p.ts")} as ts_ms,
          ${epochMs("p.received_at")} as received_at_ms, p.features,
          p.prediction, p.segments, p.latency_ms, p.status, p.error_code
        from prediction_keys k
        join predictions p on p.model_id = k.model_id and p.ts = k.ts
          and p.prediction_id = k.prediction_id and p.version = k.version
        where k.model_id = ${model.id} and k.prediction_id = ${predictionId}
        order by p.ts, p.version`,
    ),
    selectRows<LabelRow>(
      db,
      sql`
        select label_name, version, actual, ${epochMs("observed_at")} as observed_at_ms, revision,
          ${epochMs("joined_at")} as joined_at_ms, delay_ms
        from labels
        where model_id = ${model.id} and prediction_id = ${predictionId}
        order by label_name`,
    ),
  ]);
  if (predictions.length === 0 && labels.length === 0) return null;
  return {
    predictionId,
    predictions: predictions.map((row) => ({
      version: row.version,
      deployment: row.deployment,
      environment: row.environment,
      timestamp: new Date(row.ts_ms),
      receivedAt: new Date(row.received_at_ms),
      features: row.features,
      output: outputOf(row.prediction),
      segments: row.segments,
      latencyMs: row.latency_ms,
      status: row.status,
      errorCode: row.error_code,
    })),
    labels: labels.map((row) => ({
      labelName: row.label_name,
      version: row.version,
      actual: row.actual,
      observedAt: new Date(row.observed_at_ms),
      revision: row.revision,
      joinedAt: row.joined_at_ms === null ? null : new Date(row.joined_at_ms),
      delayMs: row.delay_ms === null ? null : Number(row.delay_ms),
    })),
  };
}

function outputOf(prediction: Record<string, unknown>): PredictionOutputView {
  const label = prediction.label;
  const scores = prediction.scores;
  return {
    label:
      typeof label === "string" || typeof label === "number" || typeof label === "boolean"
        ? label
        : null,
    score: typeof prediction.score === "number" ? prediction.score : null,
    value: typeof prediction.value === "number" ? prediction.value : null,
    scores:
      typeof scores === "object" && scores !== null && !Array.isArray(scores)
        ? (scores as Record<string, number>)
        : null,
  };
}
