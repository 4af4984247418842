import { promisify } from "node:util";
import { gzip } from "node:zlib";

import { ApiErrorBody, BaselineResponse } from "@plumbline/contracts";

import { CliError } from "./cli-error";

const gzipAsync = promisify(gzip);

/** Bodies this large are gzipped: the ingest service inflates them, and CI uplinks are slow. */
const GZIP_THRESHOLD_BYTES = 1024 * 1024;
/** 429 and 503 mean nothing was stored: this many repeats, each after the server's Retry-After. */
const MAX_RETRIES = 3;
const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 30_000;

export interface ReferenceDataset {
  /** `text/csv`, `application/json` or `application/x-ndjson`. */
  contentType: string;
  bytes: Buffer;
}

/** A small client for the ingest service's baseline endpoint, authenticated by an API key. */
export class IngestClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** `POST /v1/models/{model}/versions/{version}/baseline[?name=]`: the stored summary. */
  async uploadBaseline(
    target: { model: string; version: string; name: string | null },
    dataset: ReferenceDataset,
  ): Promise<BaselineResponse> {
    const path =
      `/v1/models/${encodeURIComponent(target.model)}` +
      `/versions/${encodeURIComponent(target.version)}/baseline` +
      (target.name === null ? "" : `?name=${encodeURIComponent(target.name)}`);
    const compress = dataset.bytes.length >= GZIP_THRESHOLD_BYTES;
    const body = compress ? await gzipAsync(dataset.bytes) : dataset.bytes;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: "application/json",
      "content-type": dataset.contentType,
      ...(compress ? { "content-encoding": "gzip" } : {}),
    };
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method: "POST",
          headers,
          body,
        });
      } catch (error) {
        throw new CliError(
          `Cannot reach ${this.baseUrl} (${describeNetworkError(error)}); check PLUMBLINE_INGEST_URL.`,
        );
      }
      const text = await response.text();
      const parsed = parseJson(text);
      if (response.ok) {
        const summary = BaselineResponse.safeParse(parsed);
        if (summary.success) return summary.data;
        throw new CliError(`POST ${path} answered HTTP ${response.status} without a summary.`);
      }
      if ((response.status === 429 || response.status === 503) && attempt < MAX_RETRIES) {
        await this.sleep(retryAfterMs(response.headers.get("retry-after")));
        continue;
      }
      throw new CliError(describeIngestFailure(path, response.status, parsed));
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    // An answer that is not JSON (a proxy's error page) is reported by its status.
    return null;
  }
}

function retryAfterMs(header: string | null): number {
  const seconds = header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : null;
  return seconds === null ? DEFAULT_RETRY_AFTER_MS : Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
}

function describeNetworkError(error: unknown): string {
  const cause = (
    error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
  ).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

/** One line naming what went wrong, from the ingest API's `{ error, message, issues }` body. */
export function describeIngestFailure(path: string, status: number, body: unknown): string {
  const parsed = ApiErrorBody.safeParse(body);
  if (!parsed.success) return `POST ${path} failed with HTTP ${status}.`;
  const details = (parsed.data.issues ?? [])
    .slice(0, 4)
    .map((issue) => `\n  ${issue.path}: ${issue.message}`)
    .join("");
  const hint =
    status === 401
      ? " Check PLUMBLINE_API_KEY."
      : status === 403
        ? " The key needs the baselines:write scope and access to this model (Settings > API keys)."
        : "";
  const message = /[.!?]$/.test(parsed.data.message)
    ? parsed.data.message
    : `${parsed.data.message}.`;
  return `${message}${hint} (HTTP ${status} ${parsed.data.error})${details}`;
}
