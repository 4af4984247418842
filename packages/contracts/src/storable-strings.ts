import { LONE_SURROGATE_MESSAGE, NUL_MESSAGE, textProblem } from "./value-rules";

/**
 * Why a string cannot be stored as given: PostgreSQL stores no NUL (U+0000) in text or jsonb, and
 * a lone UTF-16 surrogate is not Unicode at all (encoding it as UTF-8 either fails or silently
 * turns it into U+FFFD, which alters the value).
 */
export type UnstorableStringProblem = "nul_character" | "lone_surrogate";

export interface UnstorableString {
  /** Keys and indexes from the root to the offending string (the last key when a key is bad). */
  path: PropertyKey[];
  problem: UnstorableStringProblem;
}

/** The value rules' text check (the one used by every ingest route), as a problem code. */
export function stringProblem(text: string): UnstorableStringProblem | null {
  const problem = textProblem(text);
  if (problem === null) return null;
  return problem === NUL_MESSAGE ? "nul_character" : "lone_surrogate";
}

export const UNSTORABLE_STRING_MESSAGES: Record<UnstorableStringProblem, string> = {
  nul_character: NUL_MESSAGE,
  lone_surrogate: LONE_SURROGATE_MESSAGE,
};

function isWalkable(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    Array.isArray(value) ||
    value instanceof Map ||
    value instanceof Set ||
    prototype === Object.prototype ||
    prototype === null
  );
}

/**
 * The first string in `value` (keys included, through arrays, plain objects, Maps and Sets) that
 * cannot be stored, or null. An explicit stack, not recursion: a hostile input may nest
 * thousands of levels deep.
 */
export function findUnstorableString(value: unknown): UnstorableString | null {
  interface Entry {
    value: unknown;
    key: PropertyKey | null;
    parent: Entry | null;
  }
  const pathOf = (entry: Entry | null, last?: PropertyKey): PropertyKey[] => {
    const keys: PropertyKey[] = last === undefined ? [] : [last];
    for (let at = entry; at !== null; at = at.parent) if (at.key !== null) keys.push(at.key);
    return keys.reverse();
  };
  const stack: Entry[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const item = current.value;
    if (typeof item === "string") {
      const problem = stringProblem(item);
      if (problem) return { path: pathOf(current), problem };
      continue;
    }
    if (!isWalkable(item)) continue;
    const children: [PropertyKey, unknown][] =
      item instanceof Map
        ? [...(item as Map<unknown, unknown>).entries()].flatMap(
            ([key, child], index): [PropertyKey, unknown][] =>
              // A key that is not a string (superjson carries any) is walked like a value.
              typeof key === "string"
                ? [[key, child]]
                : [
                    [index, key],
                    [index, child],
                  ],
          )
        : Array.isArray(item) || item instanceof Set
          ? [...(item as Iterable<unknown>)].map((child, index) => [index, child])
          : Object.entries(item);
    for (let index = children.length - 1; index >= 0; index -= 1) {
      const [key, child] = children[index]!;
      if (typeof key === "string") {
        const problem = stringProblem(key);
        if (problem) return { path: pathOf(current, key), problem };
      }
      stack.push({ value: child, key, parent: current });
    }
  }
  return null;
}

/** `a.b[2]["odd key"]`: a path as a reader would write it, for error messages. */
export function formatInputPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) {
      text += text === "" ? key : `.${key}`;
    } else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === "" ? "input" : text;
}
