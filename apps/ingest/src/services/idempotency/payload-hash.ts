import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so that two payloads equal as data hash equal
 * whatever order a client serialised their keys in. Undefined object fields are left out, as
 * JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = "[";
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ",";
      out += canonicalJson(value[index]);
    }
    return `${out}]`;
  }
  // Plain loops instead of entries/filter/map: this runs for every record on the hot path.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(field)}`;
  }
  return `${out}}`;
}

/** SHA-256 of the canonical JSON, hex. */
export function payloadHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}
