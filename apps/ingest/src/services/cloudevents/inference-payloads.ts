import { classNameOf, type FeatureValue, type PredictionOutput } from "@plumbline/contracts";

import {
  CloudEventPayloadError,
  MAX_CLOUDEVENT_DEPTH,
  MAX_TENSOR_DIMENSIONS,
  checkRowCount,
} from "./cloudevent-limits";

/**
 * Rows out of KServe V1, KServe V2 (Open Inference Protocol) and Seldon Core v1 payloads. The
 * protocol is told by the body's shape, never by the event type. Positional values are named by
 * the model's registered feature order (`featureNames`), else `x0`, `x1`, ...
 */

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: Json): value is string | number | boolean | null {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function featureValue(value: Json): FeatureValue {
  if (isScalar(value)) return value;
  if (Array.isArray(value)) return (value as Json[]).flat(MAX_CLOUDEVENT_DEPTH).filter(isScalar);
  return JSON.stringify(value);
}

function positional(values: readonly Json[], featureNames: readonly string[]) {
  const features: Record<string, FeatureValue> = {};
  values.forEach((value, index) => {
    features[featureNames[index] ?? `x${index}`] = featureValue(value);
  });
  return features;
}

function namedRow(row: Json, featureNames: readonly string[]): Record<string, FeatureValue> {
  if (Array.isArray(row)) return positional(row, featureNames);
  if (isObject(row)) {
    const features: Record<string, FeatureValue> = {};
    for (const [name, value] of Object.entries(row)) features[name] = featureValue(value);
    return features;
  }
  return positional([row], featureNames);
}

function formatShape(shape: readonly unknown[]): string {
  return `[${shape.map(String).join(", ")}]`;
}

/**
 * Splits a V2 (or Seldon) tensor's `data` into rows of `shape[1..]` elements each. The shape
 * must be non-negative integers whose product is the data's length, and `shape[0]` (the row
 * count) at most the record cap: both are checked before any row is made, so a 60-byte body
 * cannot ask for a hundred million rows. Without a shape the tensor is one value per row.
 */
function tensorRows(data: Json, shape: Json, where: string): Json[][] {
  const values = Array.isArray(data) ? (data as Json[]).flat(MAX_CLOUDEVENT_DEPTH) : [];
  if (shape === undefined || shape === null) {
    checkRowCount(where, values.length);
    return values.map((value) => [value]);
  }
  if (
    !Array.isArray(shape) ||
    shape.length > MAX_TENSOR_DIMENSIONS ||
    !shape.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)
  ) {
    throw new CloudEventPayloadError(
      `${where}.shape must be a list of at most ${MAX_TENSOR_DIMENSIONS} non-negative integers`,
    );
  }
  const sizes = shape as number[];
  const rows = sizes.length === 0 ? 1 : sizes[0]!;
  checkRowCount(`${where} (shape ${formatShape(sizes)})`, rows);
  // The product, stopped as soon as it passes the data's length (it cannot overflow then).
  let elements = 1;
  for (const size of sizes) {
    if (size === 0) {
      elements = 0;
      break;
    }
    elements *= size;
    if (elements > values.length) break;
  }
  if (elements !== values.length) {
    throw new CloudEventPayloadError(
      `${where}.shape ${formatShape(sizes)} does not match its data: ${values.length} values`,
    );
  }
  const width = rows === 0 ? 0 : values.length / rows;
  return Array.from({ length: rows }, (_, r) => values.slice(r * width, (r + 1) * width));
}

/** A list of rows (V1 instances, predictions, Seldon ndarray), refused past the record cap. */
function rowList(where: string, rows: Json[]): Json[] {
  checkRowCount(where, rows.length);
  return rows;
}

function isV2Tensors(value: Json): value is Record<string, Json>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => isObject(item) && "data" in item)
  );
}

function seldonRows(data: Json): { names: string[]; rows: Json[][] } | null {
  if (!isObject(data)) return null;
  const names = Array.isArray(data.names) ? data.names.map(String) : [];
  if (Array.isArray(data.ndarray)) {
    const rows = rowList("data.ndarray", data.ndarray as Json[]).map((row): Json[] =>
      Array.isArray(row) ? (row as Json[]) : [row],
    );
    return { names, rows };
  }
  if (isObject(data.tensor)) {
    return { names, rows: tensorRows(data.tensor.values, data.tensor.shape, "data.tensor") };
  }
  return null;
}

/** The feature rows of an inference request, or null when the body is not a known protocol. */
export function requestRows(
  body: Json,
  featureNames: readonly string[],
): { protocol: string; rows: Record<string, FeatureValue>[] } | null {
  if (!isObject(body)) return null;
  if (isV2Tensors(body.inputs)) {
    const inputs = body.inputs;
    if (inputs.length === 1) {
      return {
        protocol: "v2",
        rows: tensorRows(inputs[0]!.data, inputs[0]!.shape, "inputs[0]").map((row) =>
          positional(row, featureNames),
        ),
      };
    }
    // One named input per feature, each holding a value (or a vector) per row.
    const perInput = inputs.map((input, index) => ({
      name: typeof input.name === "string" ? input.name : "",
      rows: tensorRows(input.data, input.shape, `inputs[${index}]`),
    }));
    const count = Math.max(...perInput.map((input) => input.rows.length));
    const rows = Array.from({ length: count }, (_, r) => {
      const features: Record<string, FeatureValue> = {};
      perInput.forEach((input, index) => {
        const cell = input.rows[r] ?? [];
        features[input.name || featureNames[index] || `x${index}`] = featureValue(
          cell.length === 1 ? cell[0] : cell,
        );
      });
      return features;
    });
    return { protocol: "v2", rows };
  }
  const instances = Array.isArray(body.instances)
    ? rowList("instances", body.instances)
    : Array.isArray(body.inputs)
      ? rowList("inputs", body.inputs)
      : null;
  if (instances)
    return { protocol: "v1", rows: instances.map((row) => namedRow(row, featureNames)) };
  const seldon = seldonRows(body.data);
  if (seldon) {
    const names = seldon.names.length > 0 ? seldon.names : featureNames;
    return { protocol: "seldon", rows: seldon.rows.map((row) => positional(row, names)) };
  }
  return null;
}

/**
 * What a model's outputs mean: its class labels in index order, and the positive class of a
 * binary model (the one a single probability is the probability of). Empty labels name nothing.
 */
export interface OutputClasses {
  labels: readonly string[];
  positive: string | null;
}

const NO_CLASSES: OutputClasses = { labels: [], positive: null };

/**
 * A row of model output as a prediction: a class id (named by the model's class labels), a
 * value, a probability (of the positive class, for a binary model that names it) or a
 * probability vector. `columns` are the output's own column names (Seldon `names`, such as
 * `t:0` or `yes`), themselves mapped through the class labels when they are indices.
 */
export function outputOf(
  row: Json,
  classes: OutputClasses = NO_CLASSES,
  columns: readonly string[] = [],
): PredictionOutput | null {
  const className = (index: number): string | number => {
    const column = columns[index];
    const named = classNameOf(column ?? index, classes.labels);
    return typeof named === "boolean" ? String(named) : named;
  };
  if (typeof row === "number") {
    if (Number.isInteger(row)) return { label: className(row), value: row };
    if (row >= 0 && row <= 1 && classes.positive !== null && classes.labels.length === 2) {
      // A binary model's single probability: P(positive class), labelled at 0.5.
      const negative = classes.labels.find((label) => label !== classes.positive)!;
      return {
        label: row >= 0.5 ? classes.positive : negative,
        score: row,
        scores: { [classes.positive]: row, [negative]: 1 - row },
      };
    }
    return row >= 0 && row <= 1 ? { value: row, score: row } : { value: row };
  }
  if (typeof row === "string" || typeof row === "boolean") return { label: row };
  if (Array.isArray(row)) {
    const values = row.flat(MAX_CLOUDEVENT_DEPTH).filter((x): x is number => typeof x === "number");
    if (values.length === 0) return null;
    if (values.length === 1) {
      // One output column: a Seldon `t:0`-style column carries the class id or the probability.
      return outputOf(values[0], classes);
    }
    const isProbabilities = values.every((p) => p >= 0 && p <= 1);
    if (!isProbabilities) return { values };
    let best = 0;
    values.forEach((p, index) => {
      if (p > values[best]!) best = index;
    });
    const scores: Record<string, number> = {};
    values.forEach((p, index) => {
      scores[String(className(index))] = p;
    });
    return { label: className(best), score: values[best]!, scores };
  }
  if (isObject(row)) {
    const output: PredictionOutput = {};
    if (["string", "number", "boolean"].includes(typeof row.label)) {
      output.label = classNameOf(row.label as string | number | boolean, classes.labels);
    }
    if (typeof row.score === "number" && row.score >= 0 && row.score <= 1) output.score = row.score;
    if (typeof row.value === "number") output.value = row.value;
    return Object.keys(output).length > 0 ? output : null;
  }
  return null;
}

/** The version a V2 inference response reports (`model_version`), without decoding its outputs. */
export function reportedModelVersion(body: Json): string | null {
  return isObject(body) && typeof body.model_version === "string" ? body.model_version : null;
}

/** The outputs of an inference response and, for V2, the version the server reports. */
export function responseRows(
  body: Json,
  classes: OutputClasses = NO_CLASSES,
): { outputs: (PredictionOutput | null)[]; modelVersion: string | null } | null {
  if (!isObject(body)) return null;
  const modelVersion = reportedModelVersion(body);
  if (isV2Tensors(body.outputs)) {
    const tensor = body.outputs[0]!;
    return {
      outputs: tensorRows(tensor.data, tensor.shape, "outputs[0]").map((row) =>
        outputOf(row, classes),
      ),
      modelVersion,
    };
  }
  if (Array.isArray(body.predictions)) {
    return {
      outputs: rowList("predictions", body.predictions).map((row) => outputOf(row, classes)),
      modelVersion,
    };
  }
  if (Array.isArray(body.outputs))
    return {
      outputs: rowList("outputs", body.outputs).map((row) => outputOf(row, classes)),
      modelVersion,
    };
  const seldon = seldonRows(body.data);
  if (seldon)
    return {
      outputs: seldon.rows.map((row) => outputOf(row, classes, seldon.names)),
      modelVersion,
    };
  return null;
}
