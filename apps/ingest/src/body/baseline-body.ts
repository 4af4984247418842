import type { Readable } from "node:stream";

import { MAX_BASELINE_LINE_CHARS } from "@plumbline/contracts";
import {
  BaselineDataError,
  CsvError,
  CsvRowReader,
  ReferenceRowCollector,
  rowsOfJsonDataset,
  type ReferenceRow,
} from "@plumbline/db/baselines";
import type { FastifyInstance, FastifyRequest } from "fastify";

import { HttpError } from "../http-errors";
import { jsonParserFor } from "./content-parsers";

/** A reference dataset read from the request: only its reference rows are kept. */
export class BaselineUpload {
  constructor(readonly rows: ReferenceRow[]) {}
}

type BaselineFormat = "json" | "ndjson" | "csv";

const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl"]);
const CSV_TYPES = new Set(["text/csv", "application/csv"]);
export const BASELINE_MEDIA_TYPES = "application/json or application/x-ndjson or text/csv";

function formatOf(request: FastifyRequest): BaselineFormat | null {
  const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (NDJSON_TYPES.has(type)) return "ndjson";
  if (CSV_TYPES.has(type)) return "csv";
  return null;
}

function malformed(message: string): HttpError {
  return new HttpError(400, "schema_violation", `The reference dataset is malformed: ${message}`);
}

/** Errors of a body refused before its end: the connection closes, so the rest is not read. */
function closing(error: HttpError): HttpError {
  return new HttpError(error.statusCode, error.code, error.message, error.issues, {
    ...error.headers,
    connection: "close",
  });
}

/**
 * What reads one format's text as it arrives: `write` takes each decoded piece, `end` returns
 * the rows. CSV and NDJSON hand each row to the collector as its line ends; JSON (one document)
 * is kept whole up to the byte limit and parsed at the end.
 */
interface DatasetReader {
  write(text: string): void;
  end(): ReferenceRow[];
}

function csvReader(collector: ReferenceRowCollector): DatasetReader {
  const reader = new CsvRowReader((row) => collector.add(row), MAX_BASELINE_LINE_CHARS);
  return {
    write: (text) => reader.write(text),
    end: () => {
      reader.end();
      return collector.finish();
    },
  };
}

function ndjsonReader(
  collector: ReferenceRowCollector,
  parse: (text: string) => unknown,
): DatasetReader {
  let pending = "";
  let lineNumber = 0;
  const readLine = (line: string) => {
    lineNumber += 1;
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = parse(line);
    } catch (error) {
      throw new BaselineDataError(
        `line ${lineNumber} is not valid JSON: ${(error as Error).message}`,
      );
    }
    collector.add(value);
  };
  const tooLong = () =>
    new BaselineDataError(
      `line ${lineNumber + 1} is longer than ${MAX_BASELINE_LINE_CHARS} characters`,
    );
  return {
    write: (text) => {
      let start = 0;
      let newline = text.indexOf("\n");
      while (newline !== -1) {
        const line = pending + text.slice(start, newline);
        pending = "";
        if (line.length > MAX_BASELINE_LINE_CHARS) throw tooLong();
        readLine(line);
        start = newline + 1;
        newline = text.indexOf("\n", start);
      }
      pending += text.slice(start);
      if (pending.length > MAX_BASELINE_LINE_CHARS) throw tooLong();
    },
    end: () => {
      readLine(pending);
      pending = "";
      return collector.finish();
    },
  };
}

function jsonReader(
  collector: ReferenceRowCollector,
  parse: (text: string) => unknown,
): DatasetReader {
  const pieces: string[] = [];
  return {
    write: (text) => {
      pieces.push(text);
    },
    end: () => {
      const text = pieces.join("");
      pieces.length = 0;
      if (text.trim().length === 0) {
        throw new HttpError(400, "invalid_json", "Request body is empty; expected a JSON array");
      }
      let value: unknown;
      try {
        value = parse(text);
      } catch (error) {
        throw new HttpError(
          400,
          "invalid_json",
          `Request body is not valid JSON: ${(error as Error).message}`,
        );
      }
      for (const item of rowsOfJsonDataset(value)) collector.add(item);
      return collector.finish();
    },
  };
}

function asHttpError(error: unknown): Error {
  if (error instanceof BaselineDataError || error instanceof CsvError) {
    return malformed(error.message);
  }
  return error as Error;
}

/**
 * Reads a reference dataset from the body stream (already inflated when it was gzip): strict
 * UTF-8 decoded piece by piece, refused with 413 as soon as it passes `limitBytes`, and with 400
 * as soon as a row is malformed or the rows pass MAX_BASELINE_ROWS.
 */
function readBaselineStream(
  request: FastifyRequest,
  payload: Readable,
  limitBytes: number,
  parse: (text: string) => unknown,
  done: (error: Error | null, body?: BaselineUpload) => void,
) {
  const format = formatOf(request);
  if (format === null) {
    done(
      new HttpError(415, "unsupported_media_type", `Content-Type must be ${BASELINE_MEDIA_TYPES}`),
    );
    return;
  }
  const tooLarge = new HttpError(
    413,
    "payload_too_large",
    `Request body is larger than ${limitBytes} bytes; split the batch`,
  );
  const declared = Number(request.headers["content-length"]);
  const encoded = request.headers["content-encoding"] !== undefined;
  if (!encoded && Number.isFinite(declared) && declared > limitBytes) {
    done(closing(tooLarge));
    return;
  }
  const collector = new ReferenceRowCollector();
  const reader =
    format === "csv"
      ? csvReader(collector)
      : format === "ndjson"
        ? ndjsonReader(collector, parse)
        : jsonReader(collector, parse);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const notUtf8 = new HttpError(400, "invalid_json", "Request body is not valid UTF-8");
  let received = 0;
  let finished = false;

  const stop = (error: Error) => {
    if (finished) return;
    finished = true;
    payload.removeListener("data", onData);
    payload.removeListener("end", onEnd);
    // Whatever is still coming is discarded, and the connection closes after the answer.
    payload.resume();
    done(error instanceof HttpError && error.statusCode < 500 ? closing(error) : error);
  };
  const decode = (chunk?: Buffer): string | null => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      return null;
    }
  };
  function onData(chunk: Buffer) {
    received += chunk.length;
    if (received > limitBytes) {
      stop(tooLarge);
      return;
    }
    const text = decode(chunk);
    if (text === null) {
      stop(notUtf8);
      return;
    }
    try {
      reader.write(text);
    } catch (error) {
      stop(asHttpError(error));
    }
  }
  function onEnd() {
    if (finished) return;
    const text = decode();
    if (text === null) {
      stop(notUtf8);
      return;
    }
    try {
      reader.write(text);
      const rows = reader.end();
      finished = true;
      payload.removeListener("data", onData);
      done(null, new BaselineUpload(rows));
    } catch (error) {
      stop(asHttpError(error));
    }
  }
  payload.on("data", onData);
  payload.on("end", onEnd);
  payload.on("error", (error) => stop(error));
}

/**
 * The baseline route's own body parsers (registered in its encapsulated plugin): they take the
 * payload stream instead of a buffered body, so a dataset up to `limitBytes` never sits in
 * memory as bytes or as one string.
 */
export function registerBaselineBodyParser(scope: FastifyInstance, limitBytes: number) {
  const parse = jsonParserFor(scope);
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", (request, payload, done) => {
    readBaselineStream(request, payload, limitBytes, parse, done);
  });
}
