import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";

import { ErrorResponse, IngestResponse } from "@plumbline/contracts";

import { fullJitterDelayMs, parseRetryAfterMs, sleep } from "./backoff";
import {
  describeError,
  type MutableCounters,
  type PlumblineErrorEvent,
  type RecordKind,
} from "./events";

const gzipAsync = promisify(gzip);

/** One buffered record, serialised when it was logged so later mutation by the caller is harmless. */
export interface QueuedRecord {
  predictionId: string;
  json: string;
  bytes: number;
}

export interface DeliverySettings {
  kind: RecordKind;
  url: string;
  /** The batch's array field: `records` for predictions, `labels` for labels. */
  bodyKey: "records" | "labels";
  apiKey: string;
  userAgent: string;
  gzipThresholdBytes: number;
  maxRetries: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  requestTimeoutMs: number;
}

type Attempts =
  | { kind: "answered"; status: number; body: string }
  | { kind: "gave_up"; status: number | null; message: string };

/**
 * 408, 429 and server errors are worth repeating; 501 and 505 will not change. Every other
 * answer is final: repeating a 400 or a 401 would only fail again.
 */
function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Sends one batch to the ingest API and accounts for the outcome. Never rejects: every failure
 * ends in the counters and in `onError`.
 */
export class BatchDelivery {
  constructor(
    private readonly settings: DeliverySettings,
    private readonly counters: MutableCounters,
    private readonly report: (event: PlumblineErrorEvent) => void,
    /** Aborted when `close()` runs out of time: stops waiting and retrying at once. */
    private readonly shutdownSignal: AbortSignal,
  ) {}

  async deliver(records: readonly QueuedRecord[]): Promise<void> {
    try {
      await this.deliverOrSplit(records);
    } catch (error) {
      // Unexpected (a gzip failure, a bug): the batch is lost, the client carries on.
      this.fail(records.length, null, describeError(error));
    }
  }

  private async deliverOrSplit(records: readonly QueuedRecord[]): Promise<void> {
    const outcome = await this.postWithRetries(records);
    if (outcome.kind === "gave_up") {
      this.fail(records.length, outcome.status, outcome.message);
      return;
    }
    const { status, body } = outcome;
    if (status === 200 || status === 202 || status === 207 || status === 400) {
      const results = IngestResponse.safeParse(parseJson(body));
      if (results.success) {
        this.account(status, results.data);
        return;
      }
      if (status !== 400) {
        // The write was acknowledged; only its details are unreadable.
        this.counters.sent += records.length;
        return;
      }
    }
    if (status === 413 && records.length > 1) {
      // The server's limit is lower than ours: halve until each part fits. Each half is a new
      // request body, so it gets its own Idempotency-Key.
      const middle = Math.ceil(records.length / 2);
      await this.deliverOrSplit(records.slice(0, middle));
      await this.deliverOrSplit(records.slice(middle));
      return;
    }
    if (status === 413) {
      this.counters.rejected += 1;
      this.report({
        type: "rejected",
        kind: this.settings.kind,
        status,
        rejected: [
          {
            index: 0,
            prediction_id: records[0]?.predictionId ?? null,
            code: "too_large",
            message: "The record alone is larger than the server accepts",
          },
        ],
      });
      return;
    }
    this.fail(records.length, status, this.errorMessage(status, body));
  }

  private account(status: number, results: IngestResponse): void {
    this.counters.sent += results.accepted + results.duplicates;
    this.counters.duplicates += results.duplicates;
    this.counters.rejected += results.rejected.length;
    if (results.rejected.length > 0) {
      this.report({
        type: "rejected",
        kind: this.settings.kind,
        status,
        rejected: results.rejected,
      });
    }
  }

  private fail(records: number, status: number | null, message: string): void {
    this.counters.failedBatches += 1;
    this.counters.failedRecords += records;
    this.report({ type: "batch_failed", kind: this.settings.kind, records, status, message });
  }

  private errorMessage(status: number, body: string): string {
    const error = ErrorResponse.safeParse(parseJson(body));
    if (error.success) return `HTTP ${status} ${error.data.error}: ${error.data.message}`;
    return `HTTP ${status}: ${body.slice(0, 200)}`;
  }

  /**
   * Posts one body until it gets a final answer or the retries run out. The body and its
   * Idempotency-Key stay the same across attempts: if an earlier attempt was stored but its answer
   * was lost, the server replays its stored response instead of storing the batch twice.
   */
  private async postWithRetries(records: readonly QueuedRecord[]): Promise<Attempts> {
    const { settings } = this;
    const json = Buffer.from(
      `{"${settings.bodyKey}":[${records.map((record) => record.json).join(",")}]}`,
    );
    const compress = json.length >= settings.gzipThresholdBytes;
    const body = compress ? await gzipAsync(json) : json;
    const headers: Record<string, string> = {
      authorization: `Bearer ${settings.apiKey}`,
      "content-type": "application/json",
      "idempotency-key": randomUUID(),
      "user-agent": settings.userAgent,
    };
    if (compress) headers["content-encoding"] = "gzip";

    for (let attempt = 0; ; attempt += 1) {
      let status: number | null = null;
      let message: string;
      let retryAfterMs: number | null = null;
      try {
        const response = await fetch(settings.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.any([
            this.shutdownSignal,
            AbortSignal.timeout(settings.requestTimeoutMs),
          ]),
        });
        const text = await response.text();
        status = response.status;
        if (!isRetryableStatus(status)) return { kind: "answered", status, body: text };
        retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), Date.now());
        message = this.errorMessage(status, text);
      } catch (error) {
        message = describeError(error);
      }
      if (attempt >= settings.maxRetries || this.shutdownSignal.aborted) {
        return { kind: "gave_up", status, message };
      }
      this.counters.retries += 1;
      const backoffMs = fullJitterDelayMs(
        attempt,
        settings.initialBackoffMs,
        settings.maxBackoffMs,
      );
      // The server knows best how long it needs: never retry before its Retry-After.
      await sleep(Math.max(retryAfterMs ?? 0, backoffMs), this.shutdownSignal);
    }
  }
}
