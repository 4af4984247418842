/**
 * A refusal a service reports to whoever called it (tRPC today, REST and the CLI later). `code`
 * is the transport-neutral category (the tRPC code of the same name, or an HTTP status later);
 * `reason` is the stable machine-readable cause, e.g. `self_approval_requester`.
 */
export type ServiceErrorCode =
  "BAD_REQUEST" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED";

export class ServiceError extends Error {
  override name = "ServiceError";

  constructor(
    readonly code: ServiceErrorCode,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export function notFound(what: string): ServiceError {
  return new ServiceError("NOT_FOUND", "not_found", `No ${what}.`);
}
