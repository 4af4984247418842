import { promisify } from "node:util";
import { gzip } from "node:zlib";

import { BaselineResponse, ErrorResponse } from "@plumbline/contracts";

import { fullJitterDelayMs, parseRetryAfterMs, sleep } from "./backoff";
import { describeError } from "./events";

const gzipAsync = promisify(gzip);

/** One row of a reference dataset: feature columns, plus optional `prediction` and `score`. */
export type BaselineRow = Readonly<Record<string, unknown>>;

/**
 * A reference dataset as `POST /v1/models/{model_id}/versions/{version}/baseline` takes it:
 * rows as objects (sent as JSON), or the text of a CSV file with a header line.
 */
export type BaselineData = { rows: readonly BaselineRow[] } | { csv: string };

export type UploadBaselineInput = BaselineData & {
  /** Default: the client's `model.id`. */
  modelId?: string;
  /** Default: the client's `model.version`. */
  version?: string;
  /** A label for the reference, for example `"training 2026-Q3"` (the `name` query parameter). */
  name?: string;
  /** One attempt's time limit: default 120 s (profiling a large dataset takes a while). */
  timeoutMs?: number;
};

/** The upload failed for good: the server refused it, or retries ran out. */
export class BaselineUploadError extends Error {
  override name = "BaselineUploadError";

  constructor(
    message: string,
    /** The last HTTP status, or null when the last attempt got no answer. */
    readonly status: number | null,
    /** The API's error code (`not_found`, `schema_violation`, ...), when it sent one. */
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface BaselineUploadSettings {
  endpoint: string;
  apiKey: string;
  userAgent: string;
  gzipThresholdBytes: number;
  maxRetries: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  signal: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 120_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The baseline endpoint's URL for one model version, with the optional reference name. */
export function baselineUrl(
  endpoint: string,
  target: { modelId: string; version: string; name?: string },
): string {
  const path = `/v1/models/${encodeURIComponent(target.modelId)}/versions/${encodeURIComponent(target.version)}/baseline`;
  const query = target.name === undefined ? "" : `?name=${encodeURIComponent(target.name)}`;
  return `${endpoint}${path}${query}`;
}

function encodeBaseline(data: BaselineData): { contentType: string; body: Buffer } {
  if ("csv" in data) return { contentType: "text/csv", body: Buffer.from(data.csv, "utf8") };
  // `{ rows }` rather than a bare array: the envelope the ingest README documents for JSON.
  return {
    contentType: "application/json",
    body: Buffer.from(JSON.stringify({ rows: data.rows })),
  };
}

/**
 * 429 and 503 mean nothing was stored, so repeating is safe. After other 5xx answers and lost
 * connections the dataset may have been stored: repeating then stores the same rows as the next
 * revision, with the same profiles, which changes nothing a user sees.
 */
function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

function failureOf(status: number, text: string): BaselineUploadError {
  const error = ErrorResponse.safeParse(parseJson(text));
  if (!error.success) {
    return new BaselineUploadError(`HTTP ${status}: ${text.slice(0, 200)}`, status, null);
  }
  const issues = (error.data.issues ?? [])
    .slice(0, 3)
    .map((issue) => ` (${issue.path}: ${issue.message})`)
    .join("");
  return new BaselineUploadError(
    `HTTP ${status} ${error.data.error}: ${error.data.message}${issues}`,
    status,
    error.data.error,
  );
}

/**
 * Uploads a reference dataset for one model version and resolves to the server's summary of
 * the profiles it built (`201`). Rejects with {@link BaselineUploadError} when the server
 * refuses it (400, 401, 403, 404, 413, ...) or when 429, 5xx and network errors outlast the
 * retries.
 */
export async function uploadBaseline(
  settings: BaselineUploadSettings,
  target: { modelId: string; version: string; name?: string },
  data: BaselineData,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<BaselineResponse> {
  const encoded = encodeBaseline(data);
  const compress = encoded.body.length >= settings.gzipThresholdBytes;
  const body = compress ? await gzipAsync(encoded.body) : encoded.body;
  const headers: Record<string, string> = {
    authorization: `Bearer ${settings.apiKey}`,
    "content-type": encoded.contentType,
    "user-agent": settings.userAgent,
  };
  if (compress) headers["content-encoding"] = "gzip";
  const url = baselineUrl(settings.endpoint, target);

  for (let attempt = 0; ; attempt += 1) {
    let failure: BaselineUploadError;
    let retryAfterMs: number | null = null;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([settings.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const text = await response.text();
      if (response.status === 201 || response.status === 200) {
        const parsed = BaselineResponse.safeParse(parseJson(text));
        if (parsed.success) return parsed.data;
        throw new BaselineUploadError(
          `The baseline was stored, but the answer is not a baseline summary: ${text.slice(0, 200)}`,
          response.status,
          null,
        );
      }
      failure = failureOf(response.status, text);
      if (!isRetryableStatus(response.status)) throw failure;
      retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), Date.now());
    } catch (error) {
      if (error instanceof BaselineUploadError) throw error;
      failure = new BaselineUploadError(describeError(error), null, null);
    }
    if (attempt >= settings.maxRetries || settings.signal.aborted) throw failure;
    const backoffMs = fullJitterDelayMs(attempt, settings.initialBackoffMs, settings.maxBackoffMs);
    await sleep(Math.max(retryAfterMs ?? 0, backoffMs), settings.signal);
  }
}
