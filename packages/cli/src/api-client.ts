import { ApiErrorBody } from "@plumbline/contracts";

import { CliError } from "./cli-error";

/** A small client for the registry REST API (`/api/v1`), authenticated by an API key. */
export class ApiClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PUT", path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}/api/v1${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError(
        `Cannot reach ${this.baseUrl} (${describeNetworkError(error)}); check PLUMBLINE_URL.`,
      );
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // An answer that is not JSON (a proxy's error page) is reported by status below.
    }
    if (!response.ok) throw new CliError(describeFailure(method, path, response.status, parsed));
    return parsed as T;
  }
}

function describeNetworkError(error: unknown): string {
  // undici wraps the socket error (ECONNREFUSED, ENOTFOUND); localhost's two addresses make
  // it an AggregateError whose parts carry the code.
  const cause = (
    error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
  ).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

/** One line naming what went wrong, from the API's `{ error, message, issues }` body. */
export function describeFailure(
  method: string,
  path: string,
  status: number,
  body: unknown,
): string {
  const parsed = ApiErrorBody.safeParse(body);
  const where = `${method} /api/v1${path}`;
  if (!parsed.success) return `${where} failed with HTTP ${status}.`;
  const details = (parsed.data.issues ?? [])
    .slice(1, 5)
    .map((issue) => `\n  ${issue.path}: ${issue.message}`)
    .join("");
  const hint =
    status === 401
      ? " Check PLUMBLINE_API_KEY."
      : status === 403 && parsed.data.error === "missing_scope"
        ? " Create a key with that scope in Settings > API keys."
        : "";
  return `${parsed.data.message}${hint} (HTTP ${status} ${parsed.data.error})${details}`;
}
