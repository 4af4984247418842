import type { FastifyRequest } from "fastify";

import type { RequestBody } from "../../body/request-body";
import { HttpError } from "../../http-errors";
import {
  CloudEventPayloadError,
  checkCloudEventAttributes,
  checkCloudEventData,
} from "./cloudevent-limits";

/** A CloudEvent as received: its attributes (lower-case names) and its JSON data. */
export interface ReceivedCloudEvent {
  attributes: Record<string, string>;
  data: unknown;
}

const REQUIRED = [
  ["id", "Ce-Id"],
  ["type", "Ce-Type"],
  ["specversion", "Ce-Specversion"],
] as const;

/**
 * Media types a binary-mode event may declare: KServe copies the client's header, so a JSON body
 * arrives as JSON, form-urlencoded, plain text, octet-stream or with no type at all. A type that
 * names another format (`application/xml`) is refused with 415 before the body is read.
 */
const BINARY_MODE_TYPES = new Set([
  "",
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "application/octet-stream",
]);

function acceptsBinaryModeType(contentType: string): boolean {
  return BINARY_MODE_TYPES.has(contentType) || contentType.endsWith("+json");
}

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_cloudevent", message);
}

/** The event, once its attributes and data pass the CloudEvents limits (else a 400). */
function checked(event: ReceivedCloudEvent): ReceivedCloudEvent {
  try {
    checkCloudEventAttributes(event.attributes);
    checkCloudEventData(event.data);
  } catch (error) {
    if (error instanceof CloudEventPayloadError) throw invalid(error.message);
    throw error;
  }
  return event;
}

/**
 * Reads a CloudEvent in binary mode (`Ce-*` headers, the body is the data) or structured mode
 * (`Content-Type: application/cloudevents+json`, attributes and `data` in the body). The data
 * is parsed as JSON whatever the Content-Type says: KServe copies the client's header, which
 * can be missing or form-urlencoded for a JSON body.
 */
export function readCloudEvent(
  request: FastifyRequest,
  body: RequestBody | undefined,
  parseJson: (text: string) => unknown,
): ReceivedCloudEvent {
  if (body?.contentType === "application/cloudevents+json") {
    const event = body.value;
    if (typeof event !== "object" || event === null || Array.isArray(event)) {
      throw invalid("A structured-mode CloudEvent must be a JSON object");
    }
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(event as Record<string, unknown>)) {
      if (name === "data" || name === "data_base64") continue;
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        attributes[name.toLowerCase()] = String(value);
      }
    }
    for (const [name, header] of REQUIRED) {
      if (!attributes[name]) {
        throw invalid(`The CloudEvent has no "${name}" attribute (${header} in binary mode)`);
      }
    }
    return checked({ attributes, data: (event as Record<string, unknown>).data ?? null });
  }

  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith("ce-") || value === undefined) continue;
    attributes[name.slice(3)] = Array.isArray(value) ? value.join(",") : value;
  }
  const missing = REQUIRED.filter(([name]) => !attributes[name]?.trim()).map(
    ([, header]) => header,
  );
  if (missing.length > 0) {
    throw invalid(
      `Missing CloudEvent header${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: send a binary-mode CloudEvent (Ce-Id, Ce-Type, Ce-Specversion headers) or Content-Type: application/cloudevents+json`,
    );
  }
  if (body && !acceptsBinaryModeType(body.contentType)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type ${body.contentType} is not a CloudEvent body: send JSON (application/json, or the client's own type as KServe does: none, text/plain, application/x-www-form-urlencoded, application/octet-stream) or application/cloudevents+json`,
    );
  }
  if (!body || body.raw.length === 0) throw invalid("The CloudEvent has no body; expected JSON");
  if (body.format === "json") return checked({ attributes, data: body.value });
  if (body.text === null) throw invalid("The CloudEvent body is not valid UTF-8 JSON");
  let data: unknown;
  try {
    data = parseJson(body.text);
  } catch (error) {
    throw invalid(`The CloudEvent body is not JSON: ${(error as Error).message}`);
  }
  return checked({ attributes, data });
}
