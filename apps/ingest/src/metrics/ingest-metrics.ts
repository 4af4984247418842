import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The service's Prometheus metrics (`GET /metrics`). Each app instance owns its registry, so
 * tests that build several apps in one process never share counters.
 */
export class IngestMetrics {
  readonly registry = new Registry();

  readonly recordsAccepted = new Counter({
    name: "plumbline_ingest_records_accepted_total",
    help: "Records (predictions, labels, CloudEvent rows) stored.",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly recordsRejected = new Counter({
    name: "plumbline_ingest_records_rejected_total",
    help: "Records rejected, by code (schema_violation, conflict, ...).",
    labelNames: ["kind", "code"] as const,
    registers: [this.registry],
  });

  readonly recordsDuplicate = new Counter({
    name: "plumbline_ingest_records_duplicate_total",
    help: "Records already stored with the same payload (safe retries).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly requestsRejected = new Counter({
    name: "plumbline_ingest_requests_rejected_total",
    help: "Requests answered with an error status, by status code and route.",
    labelNames: ["status", "route"] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: "plumbline_ingest_request_duration_seconds",
    help: "Request latency, from the first byte read to the answer sent.",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly databaseWriteDuration = new Histogram({
    name: "plumbline_ingest_db_write_duration_seconds",
    help: "Duration of write transactions, BEGIN to COMMIT.",
    labelNames: ["kind"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: "plumbline_ingest_requests_in_flight",
    help: "Requests being worked on.",
    registers: [this.registry],
  });

  readonly databaseQueue = new Gauge({
    name: "plumbline_ingest_db_queue_length",
    help: "Database operations waiting for a connection slot.",
    registers: [this.registry],
  });

  readonly halvesQuarantined = new Counter({
    name: "plumbline_ingest_cloudevent_halves_quarantined_total",
    help: "CloudEvent halves set aside because they could not be decoded or joined, by reason.",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  readonly maintenanceFailures = new Counter({
    name: "plumbline_ingest_maintenance_failures_total",
    help: "Periodic maintenance runs that failed, by task (the other tasks still ran).",
    labelNames: ["task"] as const,
    registers: [this.registry],
  });

  readonly apiKeyLookups = new Counter({
    name: "plumbline_ingest_api_key_lookups_total",
    help: "API keys presented, by where their row came from: hit (cache), negative_hit (cached as unknown), miss (read from the database).",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  readonly authRefusedByAddress = new Counter({
    name: "plumbline_ingest_auth_refused_by_address_total",
    help: "Requests answered 429 because their client address had too many failed authentications.",
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Process metrics (RSS, event-loop lag) are global; only the real service collects them.
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Times a write transaction. */
  async timeWrite<T>(kind: string, work: () => Promise<T>): Promise<T> {
    const stop = this.databaseWriteDuration.startTimer({ kind });
    try {
      return await work();
    } finally {
      stop();
    }
  }
}
