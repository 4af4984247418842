import {
  escapeUnstorableText,
  findUnstorableValue,
  MAX_JSON_DEPTH,
  MAX_RECORDS_PER_BATCH,
  textProblem,
} from "@plumbline/contracts";

/**
 * What a CloudEvent may hold, checked when it arrives and again when a stored half is decoded,
 * so that a hostile or broken event is refused with a 400 naming the problem instead of costing
 * memory, a stack overflow or a 500 later (docs/ingest-api.md, "CloudEvents limits").
 */

/** Rows in one event (an inference request or response), the record cap of every endpoint. */
export const MAX_CLOUDEVENT_ROWS = MAX_RECORDS_PER_BATCH;
/** Nesting of the event's data: deeper JSON is refused before anything walks it recursively. */
export const MAX_CLOUDEVENT_DEPTH = MAX_JSON_DEPTH;
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

const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

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
        : textProblem(name);
    if (nameProblem) {
      throw new CloudEventPayloadError(
        `A CloudEvent attribute name ${nameProblem}: ${JSON.stringify(name.slice(0, 40))}`,
      );
    }
    const label = `CloudEvent attribute "${name}" (${headerName(name)})`;
    const valueProblem = textProblem(value);
    if (valueProblem) throw new CloudEventPayloadError(`${label} ${valueProblem}`);
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

function pathText(path: readonly PropertyKey[]): string {
  const parts = path.map((key) =>
    typeof key === "number" ? `[${key}]` : `.${escapeUnstorableText(String(key))}`,
  );
  return `data${parts.join("")}`;
}

/**
 * The event's data under the value rules of every ingest route: nested at most
 * MAX_CLOUDEVENT_DEPTH deep, no NUL or lone surrogate in a string or a key. The walk uses an
 * explicit stack, so a 10,000-deep document cannot overflow the call stack here; everything
 * recursive (JSON.stringify, `flat`) runs after this check.
 */
export function checkCloudEventData(data: unknown) {
  const found = findUnstorableValue(data, MAX_CLOUDEVENT_DEPTH);
  if (found) throw new CloudEventPayloadError(`${pathText(found.path)} ${found.message}`);
}

/** Refuses more rows than one event may carry, before anything is allocated per row. */
export function checkRowCount(where: string, rows: number) {
  if (rows > MAX_CLOUDEVENT_ROWS) {
    throw new CloudEventPayloadError(
      `${where} holds ${rows} rows; at most ${MAX_CLOUDEVENT_ROWS} per event (the record cap of every ingest endpoint)`,
    );
  }
}
