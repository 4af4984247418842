import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every depth, so that two structurally equal values always
 * serialise to the same string whatever order their keys were written in. `undefined` object
 * members are dropped (as `JSON.stringify` does); `Date` values become ISO strings; non-finite
 * numbers are refused because JSON cannot carry them and a hash over `null` would hide the change.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, "$"));
}

/**
 * `sha256:<64 hex>` of {@link canonicalJson}: the stable content hash used for policies and model
 * cards, so that an approval can be tied to exactly the content it saw (spec: "Approvals must
 * bind to content").
 */
export function sha256OfCanonicalJson(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value), "utf8").digest("hex")}`;
}

function normalise(value: unknown, path: string): unknown {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item, index) => normalise(item, `${path}[${index}]`));
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return value;
    case "string":
    case "boolean":
      return value;
    case "object": {
      const source = value as Record<string, unknown>;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(source).sort()) {
        const member = source[key];
        if (member !== undefined) sorted[key] = normalise(member, `${path}.${key}`);
      }
      return sorted;
    }
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value} at ${path}`);
  }
}
