import { randomUUID } from "node:crypto";

import type {
  BaselineResponse,
  LabelModelReference,
  LabelRecordInput,
  ModelReferenceInput,
  PredictionRecordInput,
} from "@plumbline/contracts";

import { BatchDelivery, type QueuedRecord } from "./deliver-batch";
import {
  describeError,
  emptyCounters,
  type ClientStats,
  type PlumblineErrorEvent,
  type RecordKind,
} from "./events";
import { resolveOptions, type PlumblineClientOptions, type ResolvedOptions } from "./options";
import { RecordBuffer } from "./record-buffer";
import { uploadBaseline, type UploadBaselineInput } from "./upload-baseline";

/** A prediction as `logPrediction` takes it: id, timestamp and model may be left to the client. */
export type LogPredictionInput = Omit<
  PredictionRecordInput,
  "prediction_id" | "timestamp" | "model"
> & {
  /** Default: a random UUID, returned by `logPrediction` so labels can refer to it. */
  prediction_id?: string;
  /** Default: now. */
  timestamp?: string | Date;
  /** Default: the client's `model`. */
  model?: ModelReferenceInput;
};

/** A label as `logLabel` takes it: model and observation time may be left to the client. */
export type LogLabelInput = Omit<LabelRecordInput, "model" | "observed_at"> & {
  /** Default: the client's model id (no version: the label applies to every version). */
  model?: LabelModelReference;
  /** Default: now, which is when the truth became known for most callers. */
  observed_at?: string | Date;
};

export interface CloseOptions {
  /** Overrides the client's `shutdownTimeoutMs` for this call. */
  timeoutMs?: number;
}

const SDK_USER_AGENT = "plumbline-sdk-js/0.0.0";
const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT"] as const;

function toTimestamp(value: string | Date | undefined): string {
  if (value === undefined) return new Date().toISOString();
  return typeof value === "string" ? value : value.toISOString();
}

/**
 * Sends predictions and labels to Plumbline's ingest API in the background.
 *
 * `logPrediction` and `logLabel` only serialise the record into a bounded buffer and return: they
 * never wait on the network and never throw. Batches leave by size or by time, gzipped, and are
 * retried with the same Idempotency-Key, so a retry never stores a record twice.
 */
export class PlumblineClient {
  private readonly options: ResolvedOptions;
  private readonly counters = emptyCounters();
  private readonly predictions: RecordBuffer;
  private readonly labels: RecordBuffer;
  /** Aborted when `close()` runs out of time: in-flight requests and retry waits end at once. */
  private readonly shutdown = new AbortController();
  private closing: Promise<void> | null = null;
  private readonly onBeforeExit = () => {
    // Only when there is work: a flush with nothing to send schedules nothing, so the process
    // then exits as it meant to.
    if (this.predictions.length + this.labels.length > 0) void this.flush();
  };
  private readonly onShutdownSignal = (signal: NodeJS.Signals) => {
    void this.close().finally(() => {
      // `close()` removed this listener: if nobody else listens, re-raising the signal gets its
      // default effect (the process ends, killed by that signal) as if we had never listened.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };

  constructor(options: PlumblineClientOptions) {
    this.options = resolveOptions(options);
    const report = (event: PlumblineErrorEvent) => this.report(event);
    const makeBuffer = (kind: RecordKind, path: string, bodyKey: "records" | "labels") =>
      new RecordBuffer(
        {
          kind,
          batchSize: this.options.batchSize,
          maxBatchBytes: this.options.maxBatchBytes,
          capacity: this.options.maxBufferedRecords,
          flushIntervalMs: this.options.flushIntervalMs,
        },
        new BatchDelivery(
          {
            kind,
            url: `${this.options.endpoint}${path}`,
            bodyKey,
            apiKey: this.options.apiKey,
            userAgent: SDK_USER_AGENT,
            gzipThresholdBytes: this.options.gzipThresholdBytes,
            maxRetries: this.options.maxRetries,
            initialBackoffMs: this.options.initialBackoffMs,
            maxBackoffMs: this.options.maxBackoffMs,
            requestTimeoutMs: this.options.requestTimeoutMs,
          },
          this.counters,
          report,
          this.shutdown.signal,
        ),
        this.counters,
        report,
      );
    this.predictions = makeBuffer("prediction", "/v1/predictions", "records");
    this.labels = makeBuffer("label", "/v1/labels", "labels");
    if (this.options.flushOnExit) process.on("beforeExit", this.onBeforeExit);
    if (this.options.flushOnSignals) {
      for (const signal of SHUTDOWN_SIGNALS) process.on(signal, this.onShutdownSignal);
    }
  }

  /**
   * Queues one prediction and returns its `prediction_id` (generated when absent). Never throws
   * and never blocks: a record that cannot be queued is counted and reported to `onError`.
   */
  logPrediction(record: LogPredictionInput): string {
    let predictionId = "";
    try {
      predictionId = record.prediction_id ?? randomUUID();
      const model = record.model ?? this.options.model;
      if (!model) {
        this.refuse("prediction", predictionId, "The record has no model and the client none");
        return predictionId;
      }
      const full = {
        ...record,
        prediction_id: predictionId,
        model,
        timestamp: toTimestamp(record.timestamp),
      };
      this.enqueue(this.predictions, "prediction", predictionId, full);
    } catch (error) {
      this.refuse("prediction", predictionId || null, describeError(error));
    }
    return predictionId;
  }

  /** Queues one label (delayed ground truth for a prediction id). Never throws, never blocks. */
  logLabel(label: LogLabelInput): void {
    let predictionId: string | null = null;
    try {
      predictionId = label.prediction_id;
      const model = label.model ?? (this.options.model ? { id: this.options.model.id } : undefined);
      if (!model) {
        this.refuse("label", predictionId, "The label has no model and the client none");
        return;
      }
      const full = { ...label, model, observed_at: toTimestamp(label.observed_at) };
      this.enqueue(this.labels, "label", predictionId, full);
    } catch (error) {
      this.refuse("label", predictionId, describeError(error));
    }
  }

  /**
   * Uploads a reference dataset (the training data, usually) for a model version through
   * `POST /v1/models/{model_id}/versions/{version}/baseline`; drift is measured against it from
   * then on. Unlike `logPrediction`, it waits for the answer and rejects with a
   * `BaselineUploadError` when the server refuses the dataset or retries run out. Needs a key with
   * the `baselines:write` scope.
   */
  async uploadBaseline(input: UploadBaselineInput): Promise<BaselineResponse> {
    const modelId = input.modelId ?? this.options.model?.id;
    const version = input.version ?? this.options.model?.version;
    if (modelId === undefined || version === undefined) {
      throw new TypeError(
        "uploadBaseline needs a model id and version: pass modelId and version, or give the client a model with a version",
      );
    }
    const data = "csv" in input ? { csv: input.csv } : { rows: input.rows };
    return uploadBaseline(
      {
        endpoint: this.options.endpoint,
        apiKey: this.options.apiKey,
        userAgent: SDK_USER_AGENT,
        gzipThresholdBytes: this.options.gzipThresholdBytes,
        maxRetries: this.options.maxRetries,
        initialBackoffMs: this.options.initialBackoffMs,
        maxBackoffMs: this.options.maxBackoffMs,
        signal: this.shutdown.signal,
      },
      { modelId, version, ...(input.name === undefined ? {} : { name: input.name }) },
      data,
      input.timeoutMs,
    );
  }

  /**
   * Sends everything logged so far and resolves once each record is stored, rejected or given
   * up (see `stats()` and `onError`). Never rejects.
   */
  async flush(): Promise<void> {
    await Promise.all([this.predictions.flush(), this.labels.flush()]);
  }

  /**
   * Flushes, then stops: later records are dropped. Gives up what is still unsent after the
   * timeout (counted in `failedRecords`). Safe to call more than once; never rejects.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutDown(options.timeoutMs ?? this.options.shutdownTimeoutMs);
    return this.closing;
  }

  /** A snapshot of the counters, predictions and labels together. */
  stats(): ClientStats {
    return { ...this.counters, buffered: this.predictions.length + this.labels.length };
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    process.off("beforeExit", this.onBeforeExit);
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, this.onShutdownSignal);
    this.predictions.stopTimer();
    this.labels.stopTimer();
    const flushed = this.flush();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([flushed, timedOut]);
    clearTimeout(timer);
    // Whatever is still pending now fails fast instead of holding the process open.
    this.shutdown.abort();
    await flushed;
  }

  private enqueue(buffer: RecordBuffer, kind: RecordKind, predictionId: string, record: object) {
    if (this.closing) {
      this.counters.dropped += 1;
      this.report({ type: "invalid_record", kind, predictionId, message: "The client is closed" });
      return;
    }
    // Serialised now, not at send time: the caller may reuse or mutate its objects afterwards.
    const json = JSON.stringify(record);
    const queued: QueuedRecord = { predictionId, json, bytes: Buffer.byteLength(json) };
    buffer.push(queued);
  }

  private refuse(kind: RecordKind, predictionId: string | null, message: string): void {
    this.counters.rejected += 1;
    this.report({ type: "invalid_record", kind, predictionId, message });
  }

  /** A throwing callback must not break the inference path or the sender. */
  private report(event: PlumblineErrorEvent): void {
    try {
      this.options.onError(event);
    } catch {
      // Deliberately ignored: the event is already counted in the stats.
    }
  }
}
