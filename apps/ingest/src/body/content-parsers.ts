import type { FastifyInstance, FastifyRequest } from "fastify";

import { HttpError } from "../http-errors";
import { RequestBody, UnparsableLine } from "./request-body";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

type SafeJsonParser = (text: string) => unknown;

function decodeUtf8(buffer: Buffer): string | null {
  try {
    return strictUtf8.decode(buffer);
  } catch {
    return null;
  }
}

function mediaType(request: FastifyRequest): string {
  return (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** JSON.parse through Fastify's secure parser (no __proto__), with a message that says why. */
function createSafeJsonParser(app: FastifyInstance): SafeJsonParser {
  const secure = app.getDefaultJsonParser("error", "error");
  return (text: string) => {
    let result: unknown;
    let failure: Error | null = null;
    // The default parser calls back synchronously for string bodies.
    void secure({} as FastifyRequest, text, (error, value) => {
      failure = error;
      result = value;
    });
    if (failure === null) return result;
    let reason = "it contains a forbidden __proto__ or constructor.prototype key";
    try {
      JSON.parse(text);
    } catch (syntaxError) {
      reason = syntaxError instanceof Error ? syntaxError.message : String(syntaxError);
    }
    throw new SyntaxError(reason);
  };
}

function parseJsonBody(parse: SafeJsonParser, contentType: string, raw: Buffer): RequestBody {
  const text = decodeUtf8(raw);
  if (text === null) {
    throw new HttpError(400, "invalid_json", "Request body is not valid UTF-8");
  }
  if (text.trim().length === 0) {
    throw new HttpError(400, "invalid_json", "Request body is empty; expected a JSON object");
  }
  try {
    return new RequestBody("json", contentType, raw, parse(text), text);
  } catch (error) {
    throw new HttpError(
      400,
      "invalid_json",
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** One record per non-blank line; a bad line is kept as `UnparsableLine` at its position. */
function parseNdjsonBody(parse: SafeJsonParser, contentType: string, raw: Buffer): RequestBody {
  const text = decodeUtf8(raw);
  if (text === null) {
    throw new HttpError(400, "invalid_json", "Request body is not valid UTF-8");
  }
  const records: unknown[] = [];
  const lines = text.split("\n");
  for (const [lineIndex, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      records.push(parse(line));
    } catch (error) {
      records.push(
        new UnparsableLine(`line ${lineIndex + 1} is not valid JSON: ${(error as Error).message}`),
      );
    }
  }
  if (records.length === 0) {
    throw new HttpError(400, "invalid_json", "Request body has no NDJSON lines");
  }
  return new RequestBody("ndjson", contentType, raw, { records }, null);
}

const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl"]);

/**
 * Every body becomes a `RequestBody`: JSON and NDJSON by their Content-Type, anything else
 * (including no Content-Type) as raw bytes, which only the CloudEvents route accepts (the
 * KServe logger copies the client's Content-Type, which may be wrong). Bodies are read as
 * bytes and decoded strictly, so invalid UTF-8 is an error instead of silent U+FFFD. The
 * baseline upload has its own streaming parsers (`baseline-body.ts`).
 */
export function registerContentParsers(app: FastifyInstance) {
  const parse = createSafeJsonParser(app);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (request, raw, done) => {
    const contentType = mediaType(request);
    const buffer = raw as Buffer;
    try {
      if (contentType === "application/json" || contentType.endsWith("+json")) {
        done(null, parseJsonBody(parse, contentType, buffer));
      } else if (NDJSON_TYPES.has(contentType)) {
        done(null, parseNdjsonBody(parse, contentType, buffer));
      } else {
        done(null, new RequestBody("other", contentType, buffer, null, decodeUtf8(buffer)));
      }
    } catch (error) {
      done(error as Error);
    }
  });
}

/** Parses a JSON text the way the JSON body parser does (for CloudEvents read by content). */
export function jsonParserFor(app: FastifyInstance): SafeJsonParser {
  return createSafeJsonParser(app);
}

/** The route's body, refusing formats it does not take with 415. */
export function requireBody(
  request: FastifyRequest,
  accepted: readonly Exclude<RequestBody["format"], "other">[],
): RequestBody {
  const body = request.body;
  const names: Record<string, string> = {
    json: "application/json",
    ndjson: "application/x-ndjson",
  };
  const expected = accepted.map((format) => names[format]).join(" or ");
  if (!(body instanceof RequestBody)) {
    throw new HttpError(415, "unsupported_media_type", `Content-Type must be ${expected}`);
  }
  if (body.format === "other" || !accepted.includes(body.format)) {
    throw new HttpError(415, "unsupported_media_type", `Content-Type must be ${expected}`);
  }
  return body;
}
