import { MAX_RECORDS_PER_BATCH } from "@plumbline/contracts";

/**
 * What a CloudEvent may hold, checked when it arrives and again when a stored half is decoded,
 * so that a hostile or broken event is refused with a 400 naming the problem instead of costing
 * memory, a stack overflow or a 500 later (docs/ingest-api.md, "CloudEvents limits").
 */

/** Rows in one event (an inference request or response), the record cap of every endpoint. */
export const MAX_CLOUDEVENT_ROWS = MAX_RECORDS_PER_BATCH;
/** Nesting of the event's data: deeper JSON is refused before anything walks it recursively. */
export const MAX_CLOUDEVENT_DEPTH = 32;
/** Dimensions of a V2 / Seldon tensor's `shape`. */
export const MAX_TENSOR_DIMENSIONS = 8;
/** Length of the join id (`Ce-Id`, `Ce-Requestid`): it becomes part of every prediction id. */
export const MAX_JOIN_ID_LENGTH = 256;
/** Length of any other attribute value (`Ce-Source` is a URI and may be long). */
export const MAX_ATTRIBUTE_LENGTH = 2048;
/** Length of an attribute name (the CloudEvents spec asks for at most 20). */
export const MAX_ATTRIBUTE_NAME_LENGTH = 64;

/** A payload that cannot become records: a 400 on arrival, a quarantine for a stored half. */
export class CloudEventPayloadError extends Error {
  override readonly name = "CloudEventPayloadError";
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/** Why a text cannot be stored as it is (NUL, lone surrogate), or null. */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return null;
}

/** The join id rule: printable ASCII, 1 to MAX_JOIN_ID_LENGTH characters. */
export function joinIdProblem(value: string): string | null {
  if (value.length > MAX_JOIN_ID_LENGTH) {
    return `is ${value.length} characters long; at most ${MAX_JOIN_ID_LENGTH}`;
  }
  if (!PRINTABLE_ASCII.test(value)) return "must be printable ASCII (U+0020 to U+007E)";
  return null;
}

/** How the attribute is sent in binary mode, for messages: `id` -> `Ce-Id`. */
function headerName(attribute: string): string {
  return `Ce-${attribute.charAt(0).toUpperCase()}${attribute.slice(1)}`;
}

/**
 * Every attribute's name and value: no NUL, no lone surrogate, bounded length; the join ids
 * (`id`, `requestid`) printable ASCII. Throws with the attribute's name.
 */
export function checkCloudEventAttributes(attributes: Readonly<Record<string, string>>) {
  for (const [name, value] of Object.entries(attributes)) {
    const nameProblem =
      name.length > MAX_ATTRIBUTE_NAME_LENGTH
        ? `is longer than ${MAX_ATTRIBUTE_NAME_LENGTH} characters`
        : unstorableTextProblem(name);
    if (nameProblem) {
      throw new CloudEventPayloadError(
        `A CloudEvent attribute name ${nameProblem}: ${JSON.stringify(name.slice(0, 40))}`,
      );
    }
    const label = `CloudEvent attribute "${name}" (${headerName(name)})`;
    const textProblem = unstorableTextProblem(value);
    if (textProblem) throw new CloudEventPayloadError(`${label} ${textProblem}`);
    if (name === "id" || name === "requestid") {
      const problem = joinIdProblem(value);
      if (problem) throw new CloudEventPayloadError(`${label} ${problem}`);
    } else if (value.length > MAX_ATTRIBUTE_LENGTH) {
      throw new CloudEventPayloadError(
        `${label} is ${value.length} characters long; at most ${MAX_ATTRIBUTE_LENGTH}`,
      );
    }
  }
}

interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | null;
  key: string | number | null;
}

function pathOf(visit: Visit): string {
  const parts: string[] = [];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) {
    parts.push(typeof at.key === "number" ? `[${at.key}]` : `.${at.key}`);
  }
  return `data${parts.reverse().join("")}`;
}

/**
 * The event's data: nested at most MAX_CLOUDEVENT_DEPTH deep, no NUL or lone surrogate in a
 * string or a key. Walks with an explicit stack, so a 10,000-deep document cannot overflow
 * the call stack here; everything recursive (JSON.stringify, `flat`) runs after this check.
 */
export function checkCloudEventData(data: unknown) {
  const stack: Visit[] = [{ value: data, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value, depth } = visit;
    if (typeof value === "string") {
      const problem = unstorableTextProblem(value);
      if (problem) throw new CloudEventPayloadError(`${pathOf(visit)} ${problem}`);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_CLOUDEVENT_DEPTH) {
      throw new CloudEventPayloadError(
        `${pathOf(visit)} is nested deeper than ${MAX_CLOUDEVENT_DEPTH} levels`,
      );
    }
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) =>
        stack.push({ value: item, depth: depth + 1, parent: visit, key: index }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const child: Visit = { value: item, depth: depth + 1, parent: visit, key };
      const problem = unstorableTextProblem(key);
      if (problem) throw new CloudEventPayloadError(`a key of ${pathOf(visit)} ${problem}`);
      stack.push(child);
    }
  }
}

/** Refuses more rows than one event may carry, before anything is allocated per row. */
export function checkRowCount(where: string, rows: number) {
  if (rows > MAX_CLOUDEVENT_ROWS) {
    throw new CloudEventPayloadError(
      `${where} holds ${rows} rows; at most ${MAX_CLOUDEVENT_ROWS} per event (the record cap of every ingest endpoint)`,
    );
  }
}
