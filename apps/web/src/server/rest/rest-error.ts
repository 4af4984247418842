import { ZodError } from "zod";

import type { ApiErrorBody } from "@plumbline/contracts";
import { ServiceError, type ServiceErrorCode } from "@plumbline/api/services/service-error";

/** A refusal of the REST API: an HTTP status, a stable `error` code and a sentence. */
export class RestError extends Error {
  override name = "RestError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ApiErrorBody["issues"],
  ) {
    super(message);
  }
}

const STATUS_OF_SERVICE_ERROR: Record<ServiceErrorCode, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 422,
};

export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/** Turns any thrown error into the JSON answer; unexpected ones are logged and hidden. */
export function errorResponse(error: unknown): Response {
  if (error instanceof RestError) {
    const body: ApiErrorBody = { error: error.code, message: error.message };
    if (error.issues) body.issues = error.issues;
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (error.status === 401) headers["www-authenticate"] = 'Bearer realm="plumbline"';
    return Response.json(body, { status: error.status, headers });
  }
  if (error instanceof ServiceError) {
    return jsonResponse(
      { error: error.reason, message: error.message } satisfies ApiErrorBody,
      STATUS_OF_SERVICE_ERROR[error.code],
    );
  }
  if (error instanceof ZodError) return errorResponse(invalidBody(error));
  console.error("REST API request failed:", error);
  return jsonResponse(
    { error: "internal_error", message: "The server failed to handle the request." },
    500,
  );
}

export function invalidBody(error: ZodError): RestError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const first = issues[0];
  return new RestError(
    400,
    "invalid_request",
    first ? `Invalid request: ${first.path} ${first.message}.` : "Invalid request.",
    issues,
  );
}
