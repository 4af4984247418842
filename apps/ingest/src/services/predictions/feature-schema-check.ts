import type { FeatureValue, IngestWarning } from "@plumbline/contracts";
import type { FeatureSchema } from "@plumbline/db/schema";

type FeatureType = FeatureSchema[string]["type"];

/**
 * Whether a value has its feature's registered type. `null` is a missing value, never a
 * mismatch. Categorical features take strings, integers and booleans (codes are often sent as
 * numbers); numeric ones finite-or-not numbers; `array` any array.
 */
export function matchesFeatureType(type: FeatureType, value: FeatureValue): boolean {
  if (value === null) return true;
  switch (type) {
    case "numeric":
      return typeof value === "number";
    case "categorical":
      return (
        typeof value === "string" ||
        typeof value === "boolean" ||
        (typeof value === "number" && Number.isInteger(value))
      );
    case "boolean":
      return typeof value === "boolean";
    case "text":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
  }
}

function describeType(value: FeatureValue): string {
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

export interface FeatureCheck {
  unknownFeatures: number;
  typeMismatches: number;
}

/** The most warnings one response lists; the rest are summed into one `warnings_truncated`. */
export const MAX_WARNINGS = 50;

/**
 * Collects the data-quality signals of a request as one warning per (code, feature): how many
 * records, and the first one's index. Unknown features and type mismatches never reject a
 * record (the spec: "only structural errors reject a record").
 */
export class DataQualityWarnings {
  private readonly entries = new Map<
    string,
    { code: string; feature: string; first: number; count: number; detail: string }
  >();

  /** Checks one record's features against the schema; an empty schema checks nothing. */
  check(
    index: number,
    schema: FeatureSchema,
    features: Record<string, FeatureValue>,
  ): FeatureCheck {
    const result: FeatureCheck = { unknownFeatures: 0, typeMismatches: 0 };
    if (Object.keys(schema).length === 0) return result;
    for (const name in features) {
      const value = features[name]!;
      const declared = Object.hasOwn(schema, name) ? schema[name] : undefined;
      if (!declared) {
        result.unknownFeatures += 1;
        this.note("unknown_feature", name, index, "");
      } else if (!matchesFeatureType(declared.type, value)) {
        result.typeMismatches += 1;
        this.note("type_mismatch", name, index, `${declared.type}, got ${describeType(value)}`);
      }
    }
    return result;
  }

  add(code: string, subject: string, index: number, detail = "") {
    this.note(code, subject, index, detail);
  }

  private note(code: string, feature: string, index: number, detail: string) {
    const key = `${code}\u0000${feature}`;
    const entry = this.entries.get(key);
    if (entry) entry.count += 1;
    else this.entries.set(key, { code, feature, first: index, count: 1, detail });
  }

  toList(): IngestWarning[] {
    const all = [...this.entries.values()].sort((a, b) => a.first - b.first);
    const listed = all.slice(0, MAX_WARNINGS).map((entry): IngestWarning => {
      const records = `${entry.count} ${entry.count === 1 ? "record" : "records"}, first at index ${entry.first}`;
      switch (entry.code) {
        case "unknown_feature":
          return {
            index: entry.first,
            code: entry.code,
            message: `feature "${entry.feature}" is not in the model's feature schema (${records}); stored and counted as a data-quality signal`,
          };
        case "type_mismatch":
          return {
            index: entry.first,
            code: entry.code,
            message: `feature "${entry.feature}" should be ${entry.detail} (${records}); stored and counted as a data-quality signal`,
          };
        default:
          return {
            index: entry.first,
            code: entry.code,
            message: `${entry.feature}${entry.detail ? `: ${entry.detail}` : ""} (${records})`,
          };
      }
    });
    if (all.length > MAX_WARNINGS) {
      listed.push({
        index: null,
        code: "warnings_truncated",
        message: `${all.length - MAX_WARNINGS} more distinct warnings were counted but not listed`,
      });
    }
    return listed;
  }
}
