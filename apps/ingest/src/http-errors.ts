import type { ErrorResponse, RequestErrorCode } from "@plumbline/contracts";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

import { describeDatabaseFailure, isDatabaseUnavailable } from "./database-errors";

/** Seconds a client should wait before retrying when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** An error that already knows its HTTP answer; anything else thrown is a bug (500). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: RequestErrorCode,
    message: string,
    readonly issues?: ErrorResponse["issues"],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  toResponse(): ErrorResponse {
    return this.issues
      ? { error: this.code, message: this.message, issues: this.issues }
      : { error: this.code, message: this.message };
  }
}

/**
 * Fastify's own errors (body parsing, limits) translated into the API's error shape. A 413 names
 * the limit of the route that refused the body (the baseline route has a larger one).
 */
function fromFastifyError(error: FastifyError, bodyLimitBytes: number): HttpError | null {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HttpError(415, "unsupported_media_type", "Content-Type must be application/json");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HttpError(
        413,
        "payload_too_large",
        `Request body is larger than ${bodyLimitBytes} bytes; split the batch`,
      );
    default:
      return null;
  }
}

export function createErrorHandler(bodyLimitBytes: number) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const known =
      error instanceof HttpError
        ? error
        : fromFastifyError(error, request.routeOptions.bodyLimit ?? bodyLimitBytes);
    if (known) {
      return reply.code(known.statusCode).headers(known.headers).send(known.toResponse());
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Other client errors Fastify detects itself (malformed requests): pass them on.
      const badRequest: ErrorResponse = { error: "bad_request", message: error.message };
      return reply.code(error.statusCode).send(badRequest);
    }
    if (isDatabaseUnavailable(error)) {
      // Nothing was committed: the transaction rolled back, so a retry is safe.
      request.log.warn({ reason: describeDatabaseFailure(error) }, "database unavailable");
      const unavailable: ErrorResponse = {
        error: "database_unavailable",
        message: "The database is unavailable; nothing was stored. Retry later.",
      };
      return reply
        .code(503)
        .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
        .send(unavailable);
    }
    request.log.error({ err: error }, "unhandled error");
    const internal: ErrorResponse = {
      error: "internal_error",
      message: "Internal error; nothing was stored",
    };
    return reply.code(500).send(internal);
  };
}
