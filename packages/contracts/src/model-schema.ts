import { z } from "zod";

import { MAX_FEATURES_PER_RECORD } from "./limits";
import { FieldName } from "./names";

/**
 * A model's schema as people and pipelines register it (`plumbline model register --schema
 * schema.json`, the registry REST API, tRPC, the SDK, the web form): its features with their
 * types and, for positional payloads (KServe V1 `instances`, V2 tensors, Seldon `ndarray`
 * without names), their column; and the names of its output classes.
 */

export const FEATURE_TYPES = ["numeric", "categorical", "boolean", "text", "array"] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

/** Most features one schema declares (the ingest record cap on feature keys). */
export const MAX_SCHEMA_FEATURES = MAX_FEATURES_PER_RECORD;
/** Most classes one model names. */
export const MAX_CLASS_LABELS = 1000;

export const SchemaFeature = z.strictObject({
  name: FieldName,
  type: z.enum(FEATURE_TYPES),
  /** 0-based column in positional payloads; omit for features only ever sent by name. */
  position: z
    .int()
    .min(0)
    .max(MAX_SCHEMA_FEATURES - 1)
    .optional(),
});
export type SchemaFeature = z.infer<typeof SchemaFeature>;

const ClassName = z
  .string()
  .trim()
  .min(1, { error: "a class label must not be empty" })
  .max(200)
  .refine((value) => ![...value].some((character) => character.charCodeAt(0) < 0x20), {
    error: "a class label must not hold control characters",
  });

/**
 * The output's classes in index order (`labels[i]` names class `i`) and, for a binary model
 * whose single score is the probability of one class, which one that is.
 */
export const ClassLabels = z
  .strictObject({
    labels: z.array(ClassName).min(1).max(MAX_CLASS_LABELS),
    positive: ClassName.nullable().default(null),
  })
  .check((ctx) => {
    const { labels, positive } = ctx.value;
    const seen = new Set<string>();
    labels.forEach((label, index) => {
      if (seen.has(label)) {
        ctx.issues.push({
          code: "custom",
          input: label,
          path: ["labels", index],
          message: `class label "${label}" is listed twice`,
        });
      }
      seen.add(label);
    });
    if (positive !== null && !seen.has(positive)) {
      ctx.issues.push({
        code: "custom",
        input: positive,
        path: ["positive"],
        message: `the positive class "${positive}" is not one of the labels`,
      });
    }
    if (positive !== null && labels.length !== 2) {
      ctx.issues.push({
        code: "custom",
        input: positive,
        path: ["positive"],
        message: "a positive class applies to binary models only (exactly two labels)",
      });
    }
  });
export type ClassLabels = z.output<typeof ClassLabels>;
export type ClassLabelsInput = z.input<typeof ClassLabels>;

/** The schema file: features and, optionally, the class labels with the positive class. */
export const ModelSchema = z
  .strictObject({
    features: z.array(SchemaFeature).max(MAX_SCHEMA_FEATURES).default([]),
    classLabels: z.array(ClassName).min(1).max(MAX_CLASS_LABELS).optional(),
    positiveClass: ClassName.optional(),
  })
  .check((ctx) => {
    const names = new Set<string>();
    const positions = new Map<number, string>();
    ctx.value.features.forEach((feature, index) => {
      if (names.has(feature.name)) {
        ctx.issues.push({
          code: "custom",
          input: feature.name,
          path: ["features", index, "name"],
          message: `feature "${feature.name}" is declared twice`,
        });
      }
      names.add(feature.name);
      if (feature.position === undefined) return;
      const holder = positions.get(feature.position);
      if (holder !== undefined) {
        ctx.issues.push({
          code: "custom",
          input: feature.position,
          path: ["features", index, "position"],
          message: `position ${feature.position} is taken by feature "${holder}" already`,
        });
      }
      positions.set(feature.position, feature.name);
    });
    if (ctx.value.classLabels === undefined) {
      if (ctx.value.positiveClass !== undefined) {
        ctx.issues.push({
          code: "custom",
          input: ctx.value.positiveClass,
          path: ["positiveClass"],
          message: "positiveClass needs classLabels",
        });
      }
      return;
    }
    // The class labels under the rules of a version's (no duplicates, a binary positive class).
    const classes = ClassLabels.safeParse({
      labels: ctx.value.classLabels,
      positive: ctx.value.positiveClass ?? null,
    });
    for (const issue of classes.success ? [] : classes.error.issues) {
      const [field, ...rest] = issue.path;
      ctx.issues.push({
        code: "custom",
        input: ctx.value.classLabels,
        path: [field === "positive" ? "positiveClass" : "classLabels", ...rest],
        message: issue.message,
      });
    }
  });
export type ModelSchema = z.output<typeof ModelSchema>;
export type ModelSchemaInput = z.input<typeof ModelSchema>;

/** The stored form of a feature list: name -> type and position (jsonb keeps no key order). */
export type FeatureSchemaMap = Record<string, { type: FeatureType; position?: number }>;

export function featureSchemaOf(features: readonly SchemaFeature[]): FeatureSchemaMap {
  const schema: FeatureSchemaMap = {};
  for (const feature of features) {
    schema[feature.name] =
      feature.position === undefined
        ? { type: feature.type }
        : { type: feature.type, position: feature.position };
  }
  return schema;
}

/** The feature list of a stored schema, positional features first in column order. */
export function schemaFeaturesOf(schema: Readonly<FeatureSchemaMap>): SchemaFeature[] {
  return Object.entries(schema)
    .map(([name, entry]) =>
      entry.position === undefined
        ? { name, type: entry.type }
        : { name, type: entry.type, position: entry.position },
    )
    .sort(
      (a, b) =>
        (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) ||
        a.name.localeCompare(b.name),
    );
}

/** The class labels a schema file declares (null when it names none). */
export function classLabelsOf(schema: ModelSchema): ClassLabels | null {
  if (schema.classLabels === undefined) return null;
  return ClassLabels.parse({ labels: schema.classLabels, positive: schema.positiveClass ?? null });
}

/** A model's stored schema in the file's form (what the API returns and the UI edits). */
export function modelSchemaOf(model: {
  featureSchema: Readonly<FeatureSchemaMap>;
  classLabels: ClassLabels | null;
}): ModelSchema {
  return {
    features: schemaFeaturesOf(model.featureSchema),
    ...(model.classLabels
      ? {
          classLabels: model.classLabels.labels,
          ...(model.classLabels.positive ? { positiveClass: model.classLabels.positive } : {}),
        }
      : {}),
  };
}

/**
 * The class name of an output index, when the model names its classes: `1` -> `labels[1]`;
 * `"t:1"` (a Seldon output column) -> `labels[1]`; anything else stays as it was.
 */
export function classNameOf(
  value: string | number | boolean,
  labels: readonly string[] | null | undefined,
): string | number | boolean {
  if (!labels || labels.length === 0) return value;
  let index: number | null = null;
  if (typeof value === "number" && Number.isInteger(value)) index = value;
  else if (typeof value === "string") {
    const match = /^(?:t:)?(\d{1,6})$/.exec(value);
    if (match) index = Number(match[1]);
  }
  if (index === null || index < 0 || index >= labels.length) return value;
  return labels[index]!;
}
