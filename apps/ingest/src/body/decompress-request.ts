import { Transform, type Readable, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";

import type { FastifyReply, FastifyRequest } from "fastify";

import { HttpError } from "../http-errors";

/** The stream Fastify reads the body from; it compares `receivedEncodedLength` with Content-Length. */
type CountedStream = Readable & { receivedEncodedLength?: number };

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    "payload_too_large",
    `Request body is larger than ${limit} bytes once decompressed; split the batch`,
  );
}

/**
 * Inflates a gzip body as it streams in, refusing more than `limit` decompressed bytes: a
 * zip bomb costs at most `limit` bytes of output before it gets 413. A truncated or corrupt
 * stream becomes a 400 that says so.
 */
function gunzipWithinLimit(source: Readable, limit: number): CountedStream {
  let encoded = 0;
  let decoded = 0;
  const gunzip = createGunzip();
  const bounded: Transform & { receivedEncodedLength?: number } = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      decoded += chunk.length;
      if (decoded > limit) {
        callback(tooLarge(limit));
        return;
      }
      callback(null, chunk);
    },
  });
  source.on("data", (chunk: Buffer) => {
    encoded += chunk.length;
    bounded.receivedEncodedLength = encoded;
  });
  gunzip.on("error", (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === "Z_BUF_ERROR"
        ? "the gzip stream is truncated (unexpected end of file)"
        : `it is not valid gzip (${error.message})`;
    bounded.destroy(new HttpError(400, "invalid_gzip", `Content-Encoding is gzip but ${reason}`));
  });
  bounded.on("error", () => {
    source.unpipe(gunzip);
    gunzip.destroy();
    source.resume();
  });
  source.pipe(gunzip).pipe(bounded);
  return bounded;
}

/**
 * A preParsing hook: `Content-Encoding: gzip` bodies are inflated before the content-type
 * parser sees them; identity passes through; any other encoding is 415.
 */
export function createDecompressionHook(limitFor: (request: FastifyRequest) => number) {
  return function decompressRequest(
    request: FastifyRequest,
    _reply: FastifyReply,
    payload: Readable,
    done: (error: Error | null, stream?: Readable) => void,
  ) {
    const header = request.headers["content-encoding"];
    const encoding = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .trim()
      .toLowerCase();
    if (encoding === "" || encoding === "identity") {
      done(null, payload);
      return;
    }
    if (encoding === "gzip" || encoding === "x-gzip") {
      done(null, gunzipWithinLimit(payload, limitFor(request)));
      return;
    }
    done(
      new HttpError(
        415,
        "unsupported_encoding",
        `Content-Encoding "${encoding}" is not supported; send gzip or an uncompressed body`,
      ),
    );
  };
}
