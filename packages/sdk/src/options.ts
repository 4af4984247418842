import {
  MAX_RECORDS_PER_BATCH,
  MAX_REQUEST_BYTES,
  type ModelReferenceInput,
} from "@plumbline/contracts";

import type { PlumblineErrorEvent } from "./events";

export interface PlumblineClientOptions {
  /** Base URL of the ingest service, for example `"http://localhost:3001"`. */
  endpoint: string;
  /** A project API key (`pl_live_...`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Model of every record that names none; labels default to its `id`. */
  model?: ModelReferenceInput;
  /** Records per request: default 500, at most 1000 (the API's limit). */
  batchSize?: number;
  /** Longest a record waits in the buffer before it is sent: default 1000 ms. */
  flushIntervalMs?: number;
  /** Records buffered per kind (predictions, labels) before new ones are dropped: default 10,000. */
  maxBufferedRecords?: number;
  /** Bodies of at least this many bytes are gzipped: default 1024. `Infinity` disables gzip. */
  gzipThresholdBytes?: number;
  /** Retries after a 429, a 5xx, a timeout or a network error: default 8. */
  maxRetries?: number;
  /** Ceiling of the first retry's random delay, doubled each time: default 250 ms. */
  initialBackoffMs?: number;
  /** Ceiling of any retry's random delay (a longer Retry-After still wins): default 30 s. */
  maxBackoffMs?: number;
  /** One HTTP attempt's time limit: default 10 s. */
  requestTimeoutMs?: number;
  /** Flush on the process's `beforeExit` event (the event loop ran dry): default true. */
  flushOnExit?: boolean;
  /**
   * On SIGTERM and SIGINT, close the client (flush, at most `shutdownTimeoutMs`), then let the
   * signal do what it would have done: default false, because a library should not change how a
   * process reacts to signals. Leave it off when your app handles signals itself, and call
   * `await client.close()` from your own handler instead.
   */
  flushOnSignals?: boolean;
  /** How long `close()` may spend flushing before it gives the rest up: default 10 s. */
  shutdownTimeoutMs?: number;
  /** Told about every record that was not stored. Default: one `console.warn` line per event. */
  onError?: (event: PlumblineErrorEvent) => void;
}

export type ResolvedOptions = Required<Omit<PlumblineClientOptions, "model">> & {
  model: ModelReferenceInput | undefined;
  /** Largest JSON body sent, leaving room under the API's 5 MB for the envelope. */
  maxBatchBytes: number;
};

function warnOnConsole(event: PlumblineErrorEvent): void {
  console.warn(`[plumbline] ${JSON.stringify(event)}`);
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a number >= 0, got ${value}`);
  }
  return value;
}

/** Fills defaults and rejects impossible settings: a mistake here throws at start-up, not later. */
export function resolveOptions(options: PlumblineClientOptions): ResolvedOptions {
  if (!/^https?:\/\//.test(options.endpoint)) {
    throw new TypeError(`endpoint must be an http(s) URL, got "${options.endpoint}"`);
  }
  if (options.apiKey.trim() === "") throw new TypeError("apiKey is required");
  return {
    endpoint: options.endpoint.replace(/\/+$/, ""),
    apiKey: options.apiKey,
    model: options.model,
    batchSize: positiveInteger("batchSize", options.batchSize ?? 500, MAX_RECORDS_PER_BATCH),
    flushIntervalMs: nonNegative("flushIntervalMs", options.flushIntervalMs ?? 1000),
    maxBufferedRecords: positiveInteger("maxBufferedRecords", options.maxBufferedRecords ?? 10_000),
    gzipThresholdBytes: nonNegative("gzipThresholdBytes", options.gzipThresholdBytes ?? 1024),
    maxRetries: nonNegative("maxRetries", options.maxRetries ?? 8),
    initialBackoffMs: nonNegative("initialBackoffMs", options.initialBackoffMs ?? 250),
    maxBackoffMs: nonNegative("maxBackoffMs", options.maxBackoffMs ?? 30_000),
    requestTimeoutMs: positiveInteger("requestTimeoutMs", options.requestTimeoutMs ?? 10_000),
    flushOnExit: options.flushOnExit ?? true,
    flushOnSignals: options.flushOnSignals ?? false,
    shutdownTimeoutMs: nonNegative("shutdownTimeoutMs", options.shutdownTimeoutMs ?? 10_000),
    onError: options.onError ?? warnOnConsole,
    maxBatchBytes: MAX_REQUEST_BYTES - 64 * 1024,
  };
}
