import { z } from "zod";

/**
 * What PostgreSQL can store, as type rules. Every ingest schema uses these, so that a value the
 * database would refuse (and fail its whole transaction with) is rejected up front, per record,
 * with a message naming the field. A value is never altered to make it fit.
 *
 * - `real` (4-byte float): finite once rounded to single precision, and not so small that it
 *   rounds to zero (PostgreSQL answers "value out of range: underflow" for 1e-50). Subnormals
 *   that survive the rounding are stored by PostgreSQL, so they are accepted.
 * - `double precision` and `jsonb` numbers: finite (JSON.parse turns 1e400 into Infinity).
 * - `integer`: -2^31 to 2^31 - 1.
 * - `text` and `jsonb` strings (and keys): well-formed Unicode, so no lone UTF-16 surrogate
 *   (UTF-8 encoding would silently turn it into U+FFFD), and no NUL character (U+0000).
 * - JSON values nest at most `MAX_JSON_DEPTH` levels.
 */

export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;

/** Deepest nesting of arrays and objects in any JSON value of a record. */
export const MAX_JSON_DEPTH = 32;

export const FLOAT4_MESSAGE = "must be a finite number within the range of a 4-byte float";
export const FLOAT8_MESSAGE = "must be a finite number";
export const INT4_MESSAGE = `must be an integer from ${INT4_MIN} to ${INT4_MAX}`;
export const NUL_MESSAGE = "contains a NUL character (\\u0000), which cannot be stored";
export const LONE_SURROGATE_MESSAGE =
  "contains a lone UTF-16 surrogate (not valid Unicode), which cannot be stored";
export const DEPTH_MESSAGE = `nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`;

/** Whether a number fits a PostgreSQL `real` column without overflow or underflow. */
export function isStorableFloat4(value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const rounded = Math.fround(value);
  return Number.isFinite(rounded) && (rounded !== 0 || value === 0);
}

/** Whether a number fits a PostgreSQL `double precision` column (or a jsonb number). */
export function isStorableFloat8(value: number): boolean {
  return Number.isFinite(value);
}

/** Whether a number fits a PostgreSQL `integer` column. */
export function isStorableInt4(value: number): boolean {
  return Number.isInteger(value) && value >= INT4_MIN && value <= INT4_MAX;
}

// A cheap first look (no `u` flag: it sees single code units); only a hit is looked at closely.
// eslint-disable-next-line no-control-regex -- looking for NUL is the point
const SUSPECT_CODE_UNIT = /[\u0000\uD800-\uDFFF]/;
// With the `u` flag a paired surrogate is one code point, so only a lone one is \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored in `text` or `jsonb`, or null when it can. */
export function textProblem(value: string): string | null {
  if (!SUSPECT_CODE_UNIT.test(value)) return null;
  if (value.includes("\u0000")) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(value)) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * A string that echoes client input (a rejected id, a message quoting a key) made storable by
 * writing each NUL and lone surrogate as its `\uXXXX` escape. Only for such echoes in answers:
 * a value to store is rejected, never rewritten.
 */
export function escapeUnstorableText(value: string): string {
  if (!SUSPECT_CODE_UNIT.test(value)) return value;
  return value.replace(
    // eslint-disable-next-line no-control-regex -- NUL is one of the characters replaced
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Whether a string can be stored in `text` or `jsonb` as it is. */
export function isStorableText(value: string): boolean {
  return textProblem(value) === null;
}

export interface UnstorableValue {
  /** Where the value is, relative to the value walked (keys and indexes). */
  path: PropertyKey[];
  message: string;
}

/**
 * The first value inside `value` (object keys included) that PostgreSQL cannot store as text or
 * jsonb: a string with a NUL or a lone surrogate, a number that is not finite, or arrays and
 * objects nested deeper than `maxDepth`. Null when everything can be stored.
 */
export function findUnstorableValue(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): UnstorableValue | null {
  // An explicit stack, not recursion: a hostile body may nest thousands of levels deep. Each
  // entry links to its parent, so a path is only built for the one value that is reported.
  interface Entry {
    value: unknown;
    key: PropertyKey | null;
    parent: Entry | null;
    depth: number;
  }
  const pathOf = (entry: Entry, last?: PropertyKey): PropertyKey[] => {
    const keys: PropertyKey[] = last === undefined ? [] : [last];
    for (let at: Entry | null = entry; at !== null; at = at.parent) {
      if (at.key !== null) keys.push(at.key);
    }
    return keys.reverse();
  };
  const stack: Entry[] = [{ value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const item = current.value;
    if (typeof item === "string") {
      const problem = textProblem(item);
      if (problem) return { path: pathOf(current), message: problem };
    } else if (typeof item === "number") {
      if (!isStorableFloat8(item)) return { path: pathOf(current), message: FLOAT8_MESSAGE };
    } else if (typeof item === "object" && item !== null) {
      if (current.depth >= maxDepth) return { path: pathOf(current), message: DEPTH_MESSAGE };
      const depth = current.depth + 1;
      if (Array.isArray(item)) {
        for (let index = item.length - 1; index >= 0; index -= 1) {
          stack.push({ value: item[index], key: index, parent: current, depth });
        }
      } else {
        const entries = Object.entries(item as Record<string, unknown>);
        for (let index = entries.length - 1; index >= 0; index -= 1) {
          const [key, child] = entries[index]!;
          const problem = textProblem(key);
          if (problem) return { path: pathOf(current, key), message: problem };
          stack.push({ value: child, key, parent: current, depth });
        }
      }
    }
  }
  return null;
}

/** A zod refinement reporting the first unstorable value of the parsed value, at its path. */
export function rejectUnstorableValues(value: unknown, context: z.RefinementCtx): void {
  const found = findUnstorableValue(value);
  if (found) context.addIssue({ code: "custom", path: found.path, message: found.message });
}

/**
 * The type error of a number schema: "is required" when missing, `message` for Infinity (which
 * zod refuses as a type), "must be a number" for another type. Other checks keep their messages.
 */
function numberError(message: string) {
  return (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== "invalid_type") return undefined;
    if (issue.input === undefined) return "is required";
    if (typeof issue.input !== "number") return "must be a number";
    return Number.isFinite(issue.input) ? undefined : message;
  };
}

/** A number for a `real` column. */
export const Float4 = z
  .number({ error: numberError(FLOAT4_MESSAGE) })
  .refine(isStorableFloat4, { error: FLOAT4_MESSAGE });

/** A number for a `double precision` column (or a jsonb number). */
export const Float8 = z.number({ error: numberError(FLOAT8_MESSAGE) });

/** An integer for an `integer` column. */
export const Int4 = z
  .int({ error: numberError(INT4_MESSAGE) })
  .min(INT4_MIN, { error: INT4_MESSAGE })
  .max(INT4_MAX, { error: INT4_MESSAGE });

/** A string for a `text` column. */
export const StorableText = z.string().superRefine((value, context) => {
  const problem = textProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});
