import {
  BASELINE_PREDICTION_COLUMN,
  BASELINE_SCORE_COLUMN,
  type ProfileTarget,
} from "@plumbline/contracts";
import type { FeatureSchema } from "../schema";

/** One reference row split into what gets profiled. */
export interface ReferenceRow {
  features: Record<string, unknown>;
  prediction: unknown;
  score: unknown;
}

export interface ReferenceColumn {
  target: ProfileTarget;
  name: string;
  kind: "numeric" | "categorical";
  values: (number | string | null)[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A row is either shaped like a `PredictionRecord` (`features`, `prediction.label|value|score`)
 * or flat: every column is a feature except `prediction` and `score`.
 */
export function toReferenceRow(row: unknown): ReferenceRow | null {
  if (!isPlainObject(row)) return null;
  if (isPlainObject(row.features)) {
    const prediction = isPlainObject(row.prediction) ? row.prediction : {};
    return {
      features: row.features,
      prediction: prediction.label ?? prediction.value ?? null,
      score: prediction.score ?? null,
    };
  }
  const features: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name !== BASELINE_PREDICTION_COLUMN && name !== BASELINE_SCORE_COLUMN) {
      features[name] = value;
    }
  }
  return {
    features,
    prediction: row[BASELINE_PREDICTION_COLUMN] ?? null,
    score: row[BASELINE_SCORE_COLUMN] ?? null,
  };
}

/**
 * The kind of a column: the registered feature type when there is one (numeric is numeric,
 * categorical, boolean and text are categorical, arrays are not profiled), otherwise numeric
 * when every present value is a number, categorical when not.
 */
function columnKind(
  values: readonly unknown[],
  declared: FeatureSchema[string] | undefined,
): "numeric" | "categorical" | null {
  if (declared) {
    if (declared.type === "array") return null;
    return declared.type === "numeric" ? "numeric" : "categorical";
  }
  let present = 0;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) || isPlainObject(value)) return null;
    present += 1;
    if (typeof value !== "number") return "categorical";
  }
  return present === 0 ? null : "numeric";
}

function numericValue(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return Number(value);
  return null;
}

function categoricalValue(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

function column(
  target: ProfileTarget,
  name: string,
  raw: readonly unknown[],
  declared: FeatureSchema[string] | undefined,
): ReferenceColumn | null {
  const kind = columnKind(raw, declared);
  if (kind === null) return null;
  return {
    target,
    name,
    kind,
    values: kind === "numeric" ? raw.map(numericValue) : raw.map(categoricalValue),
  };
}

/** Every profiled column of the dataset: each feature, then the prediction and the score. */
export function referenceColumns(
  rows: readonly ReferenceRow[],
  schema: FeatureSchema,
): ReferenceColumn[] {
  const names = new Set<string>(Object.keys(schema));
  for (const row of rows) for (const name of Object.keys(row.features)) names.add(name);
  const columns: ReferenceColumn[] = [];
  for (const name of [...names].sort()) {
    const raw = rows.map((row) => (Object.hasOwn(row.features, name) ? row.features[name] : null));
    const built = column(
      "feature",
      name,
      raw,
      Object.hasOwn(schema, name) ? schema[name] : undefined,
    );
    if (built) columns.push(built);
  }
  const prediction = column(
    "prediction",
    "prediction",
    rows.map((row) => row.prediction),
    undefined,
  );
  if (prediction) columns.push(prediction);
  const score = column(
    "score",
    "score",
    rows.map((row) => row.score),
    { type: "numeric" },
  );
  if (score && score.values.some((value) => value !== null)) columns.push(score);
  return columns;
}
