import { gunzipSync } from "node:zlib";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { PlumblineClient, type PlumblineClientOptions, type PlumblineErrorEvent } from "../src";
import { startIngestDouble, type IngestDouble } from "./ingest-double";

const MODEL = { id: "fraud-detector", version: "1" };

let server: IngestDouble;
let clients: PlumblineClient[] = [];

beforeEach(async () => {
  server = await startIngestDouble();
});

afterEach(async () => {
  await Promise.all(clients.map((client) => client.close({ timeoutMs: 100 })));
  clients = [];
  await server.close();
});

/** A client with fast retries and no time-based flush unless a test asks for them. */
function createClient(overrides: Partial<PlumblineClientOptions> = {}) {
  const events: PlumblineErrorEvent[] = [];
  const client = new PlumblineClient({
    endpoint: server.url,
    apiKey: "pl_test_key_secret",
    model: MODEL,
    flushIntervalMs: 60_000,
    initialBackoffMs: 1,
    maxBackoffMs: 5,
    flushOnExit: false,
    onError: (event) => events.push(event),
    ...overrides,
  });
  clients.push(client);
  return { client, events };
}

function logMany(client: PlumblineClient, count: number, prefix = "p") {
  for (let index = 0; index < count; index += 1) {
    client.logPrediction({
      prediction_id: `${prefix}-${index}`,
      features: { amount: index },
      prediction: { score: 0.5 },
    });
  }
}

describe("batching", () => {
  it("sends a batch as soon as batchSize records are buffered, the rest on flush", async () => {
    const { client } = createClient({ batchSize: 3 });
    logMany(client, 7);
    await server.waitForRequests(2);
    expect(server.requests.map((request) => request.body.records?.length)).toEqual([3, 3]);

    await client.flush();
    expect(server.requests.map((request) => request.body.records?.length)).toEqual([3, 3, 1]);
    expect(server.records().map((record) => record.prediction_id)).toEqual(
      Array.from({ length: 7 }, (_, index) => `p-${index}`),
    );
    const [first] = server.requests;
    expect(first?.path).toBe("/v1/predictions");
    expect(first?.headers.authorization).toBe("Bearer pl_test_key_secret");
    expect(first?.headers["content-type"]).toBe("application/json");
    const keys = new Set(server.requests.map((request) => request.headers["idempotency-key"]));
    expect(keys.size).toBe(3);
    expect(client.stats()).toMatchObject({ sent: 7, dropped: 0, buffered: 0, retries: 0 });
  });

  it("sends a partial batch once flushIntervalMs has passed, without a flush", async () => {
    const { client } = createClient({ batchSize: 100, flushIntervalMs: 150 });
    const loggedAt = Date.now();
    logMany(client, 2);
    await server.waitForRequests(1);
    expect(server.requests[0]!.receivedAt - loggedAt).toBeGreaterThanOrEqual(140);
    expect(server.requests[0]!.body.records).toHaveLength(2);

    logMany(client, 1, "later");
    await server.waitForRequests(2);
    expect(server.requests[1]!.body.records).toHaveLength(1);
  });

  it("fills in prediction_id, timestamp and model, and returns the id", async () => {
    const { client } = createClient();
    const before = Date.now();
    const id = client.logPrediction({ prediction: { label: "fraud" } });
    const explicit = client.logPrediction({
      prediction_id: "mine",
      timestamp: new Date("2024-06-01T12:00:00Z"),
      model: { id: "other-model", version: "7", deployment: "canary" },
      prediction: { value: 3 },
    });
    await client.flush();

    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(explicit).toBe("mine");
    const [generated, given] = server.records();
    expect(generated).toMatchObject({ prediction_id: id, model: MODEL });
    expect(Date.parse(generated!.timestamp as string)).toBeGreaterThanOrEqual(before);
    expect(given).toMatchObject({
      prediction_id: "mine",
      timestamp: "2024-06-01T12:00:00.000Z",
      model: { id: "other-model", version: "7", deployment: "canary" },
    });
  });

  it("snapshots each record when it is logged, so later mutation does not leak", async () => {
    const { client } = createClient();
    const features: Record<string, number> = { amount: 1 };
    client.logPrediction({ prediction_id: "a", features, prediction: { score: 0.1 } });
    features.amount = 2;
    await client.flush();
    expect(server.records()[0]?.features).toEqual({ amount: 1 });
  });

  it("posts labels to /v1/labels with the client's model id and observed_at", async () => {
    const { client } = createClient();
    client.logLabel({ prediction_id: "p-1", actual: { label: "fraud" } });
    await client.flush();

    expect(server.requests[0]?.path).toBe("/v1/labels");
    const [label] = server.records();
    expect(label).toMatchObject({ prediction_id: "p-1", model: { id: "fraud-detector" } });
    expect(label?.model).not.toHaveProperty("version");
    expect(typeof label?.observed_at).toBe("string");
  });
});

describe("compression", () => {
  it("gzips bodies at or above the threshold and leaves small ones plain", async () => {
    const { client } = createClient({ gzipThresholdBytes: 2048 });
    logMany(client, 1, "small");
    await client.flush();
    logMany(client, 50, "large");
    await client.flush();

    const [small, large] = server.requests;
    expect(small?.headers["content-encoding"]).toBeUndefined();
    expect(large?.headers["content-encoding"]).toBe("gzip");
    const decoded = JSON.parse(gunzipSync(large!.rawBody).toString("utf8")) as {
      records: unknown[];
    };
    expect(decoded.records).toHaveLength(50);
    expect(large!.rawBody.length).toBeLessThan(Buffer.byteLength(JSON.stringify(decoded)));
  });
});

describe("retries", () => {
  it("retries 503, 500 and dropped connections with the same Idempotency-Key and body", async () => {
    const { client, events } = createClient();
    server.script({ status: 503 }, "drop", { status: 500, body: { error: "internal_error" } });
    logMany(client, 5);
    await client.flush();

    expect(server.requests).toHaveLength(4);
    const keys = new Set(server.requests.map((request) => request.headers["idempotency-key"]));
    expect(keys.size).toBe(1);
    const bodies = new Set(server.requests.map((request) => request.rawBody.toString("base64")));
    expect(bodies.size).toBe(1);
    expect(client.stats()).toMatchObject({ sent: 5, retries: 3, failedBatches: 0 });
    expect(events).toEqual([]);
  });

  it("waits at least Retry-After before retrying a 429", async () => {
    const { client } = createClient();
    server.script({
      status: 429,
      headers: { "retry-after": "1" },
      body: { error: "rate_limited", message: "slow down" },
    });
    logMany(client, 1);
    await client.flush();

    expect(server.requests).toHaveLength(2);
    const waited = server.requests[1]!.receivedAt - server.requests[0]!.receivedAt;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(server.requests[1]!.headers["idempotency-key"]).toBe(
      server.requests[0]!.headers["idempotency-key"],
    );
    expect(client.stats()).toMatchObject({ sent: 1, retries: 1 });
  });

  it("gives a batch up after maxRetries and reports it", async () => {
    const { client, events } = createClient({ maxRetries: 2 });
    server.answerAlways({ status: 503, body: { error: "database_unavailable", message: "down" } });
    logMany(client, 4);
    await client.flush();

    expect(server.requests).toHaveLength(3);
    expect(client.stats()).toMatchObject({
      sent: 0,
      retries: 2,
      failedBatches: 1,
      failedRecords: 4,
    });
    expect(events).toEqual([
      {
        type: "batch_failed",
        kind: "prediction",
        records: 4,
        status: 503,
        message: "HTTP 503 database_unavailable: down",
      },
    ]);
  });

  it("does not retry a 401: the batch fails at once", async () => {
    const { client, events } = createClient();
    server.script({ status: 401, body: { error: "unauthorized", message: "bad key" } });
    logMany(client, 2);
    await client.flush();

    expect(server.requests).toHaveLength(1);
    expect(client.stats()).toMatchObject({ retries: 0, failedBatches: 1, failedRecords: 2 });
    expect(events[0]).toMatchObject({ type: "batch_failed", status: 401 });
  });

  it("splits a batch the server finds too large (413) and sends each half on its own", async () => {
    const { client } = createClient();
    server.script({ status: 413, body: { error: "payload_too_large", message: "too big" } });
    logMany(client, 5);
    await client.flush();

    expect(server.requests.map((request) => request.body.records?.length)).toEqual([5, 3, 2]);
    const keys = new Set(server.requests.map((request) => request.headers["idempotency-key"]));
    expect(keys.size).toBe(3);
    expect(client.stats()).toMatchObject({ sent: 5, failedBatches: 0 });
  });
});

describe("per-record results", () => {
  it("counts a 207's accepted, duplicate and rejected records and reports the rejected", async () => {
    const { client, events } = createClient();
    const rejected = [
      {
        index: 2,
        prediction_id: "p-2",
        code: "schema_violation",
        message: "prediction: is required",
      },
    ];
    server.script({
      status: 207,
      body: { accepted: 1, duplicates: 1, rejected, warnings: [] },
    });
    logMany(client, 3);
    await client.flush();

    expect(client.stats()).toMatchObject({ sent: 2, duplicates: 1, rejected: 1, failedBatches: 0 });
    expect(events).toEqual([{ type: "rejected", kind: "prediction", status: 207, rejected }]);
  });

  it("treats a 400 with per-record results as every record rejected, not as a failed batch", async () => {
    const { client, events } = createClient();
    const rejected = [
      { index: 0, prediction_id: "p-0", code: "unknown_model", message: "no such model" },
    ];
    server.script({ status: 400, body: { accepted: 0, duplicates: 0, rejected, warnings: [] } });
    logMany(client, 1);
    await client.flush();

    expect(client.stats()).toMatchObject({ sent: 0, rejected: 1, failedBatches: 0 });
    expect(events[0]).toMatchObject({ type: "rejected", status: 400 });
  });
});

describe("the bounded buffer", () => {
  it("drops the newest records when full, counts them, and reports the overflow once", async () => {
    const { client, events } = createClient({ maxBufferedRecords: 5, batchSize: 1000 });
    logMany(client, 8);

    expect(client.stats()).toMatchObject({ dropped: 3, buffered: 5 });
    expect(events).toEqual([{ type: "buffer_full", kind: "prediction", capacity: 5 }]);
    await client.flush();
    expect(server.records().map((record) => record.prediction_id)).toEqual([
      "p-0",
      "p-1",
      "p-2",
      "p-3",
      "p-4",
    ]);
  });

  it("never waits for the network: logging during an outage returns at once", async () => {
    const { client } = createClient({ maxBufferedRecords: 100, batchSize: 10 });
    server.answerAlways({ status: 503, headers: { "retry-after": "30" } });
    logMany(client, 10);
    await server.waitForRequests(1);

    const started = performance.now();
    logMany(client, 1000, "during-outage");
    expect(performance.now() - started).toBeLessThan(1000);
    // 10 are in flight, 100 fill the buffer, the other 900 are dropped.
    expect(client.stats()).toMatchObject({ buffered: 100, dropped: 900 });
  });
});

describe("logPrediction never throws", () => {
  it("counts and reports records it cannot send, and returns their ids", () => {
    const { client, events } = createClient({ model: undefined });
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    expect(client.logPrediction({ prediction: { score: 0.5 } })).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      client.logPrediction({
        prediction_id: "circular",
        model: MODEL,
        prediction: { score: 0.5 },
        metadata: circular,
      }),
    ).toBe("circular");
    expect(() =>
      client.logPrediction({
        model: MODEL,
        prediction: { score: 0.5 },
        features: { big: 10n as unknown as number },
      }),
    ).not.toThrow();
    expect(() =>
      client.logPrediction({ model: MODEL, prediction: { score: 1 }, timestamp: new Date(NaN) }),
    ).not.toThrow();
    expect(() => client.logPrediction(null as never)).not.toThrow();
    expect(() => client.logLabel(undefined as never)).not.toThrow();

    expect(client.stats().rejected).toBe(6);
    expect(events.map((event) => event.type)).toEqual(Array(6).fill("invalid_record"));
    expect(events[1]).toMatchObject({ predictionId: "circular" });
  });

  it("survives an onError callback that throws", async () => {
    const { client } = createClient({
      onError: () => {
        throw new Error("callback bug");
      },
    });
    server.script({ status: 401 });
    expect(() =>
      client.logPrediction({ prediction: { score: 0.5 }, model: undefined }),
    ).not.toThrow();
    logMany(client, 1);
    await client.flush();
    logMany(client, 1, "after");
    await client.flush();
    expect(client.stats()).toMatchObject({ sent: 1, failedBatches: 1 });
  });
});

describe("close", () => {
  it("flushes what is buffered, then drops later records", async () => {
    const { client, events } = createClient();
    logMany(client, 3);
    await client.close();
    expect(server.records()).toHaveLength(3);

    expect(() => logMany(client, 2, "late")).not.toThrow();
    await client.close();
    expect(server.records()).toHaveLength(3);
    expect(client.stats()).toMatchObject({ sent: 3, dropped: 2 });
    expect(events.map((event) => event.type)).toEqual(["invalid_record", "invalid_record"]);
  });

  it("gives up after its timeout instead of waiting out a server that keeps refusing", async () => {
    const { client } = createClient({ initialBackoffMs: 10_000, maxBackoffMs: 10_000 });
    server.answerAlways({ status: 503, headers: { "retry-after": "30" } });
    logMany(client, 3);
    const started = Date.now();
    await client.close({ timeoutMs: 300 });

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(client.stats()).toMatchObject({ sent: 0, failedBatches: 1, failedRecords: 3 });
  });
});

describe("uploadBaseline", () => {
  const summary = {
    model_id: "fraud-detector",
    version: "1",
    revision: 3,
    rows: 1,
    profiles: [{ target: "feature", name: "amount", kind: "numeric", n: 1, missing: 0, bins: 1 }],
  };

  it("retries a 503 with the same gzipped body and resolves to the server's summary", async () => {
    const { client } = createClient({ gzipThresholdBytes: 0 });
    server.script({ status: 503, headers: { "retry-after": "0" } }, { status: 201, body: summary });

    const stored = await client.uploadBaseline({ rows: [{ amount: 12.5 }], name: "train 2026/Q3" });

    expect(stored).toEqual(summary);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first?.path).toBe(
      "/v1/models/fraud-detector/versions/1/baseline?name=train%202026%2FQ3",
    );
    expect(first?.headers["content-encoding"]).toBe("gzip");
    expect(first?.headers["content-type"]).toBe("application/json");
    expect(first?.headers.authorization).toBe("Bearer pl_test_key_secret");
    expect(first?.body).toEqual({ rows: [{ amount: 12.5 }] });
    expect(second?.rawBody.equals(first!.rawBody)).toBe(true);
  });

  it("targets the model and version it is given over the client's", async () => {
    const { client } = createClient();
    server.script({ status: 201, body: { ...summary, model_id: "churn", version: "7" } });
    await client.uploadBaseline({ rows: [{ amount: 1 }], modelId: "churn", version: "7" });
    expect(server.requests[0]?.path).toBe("/v1/models/churn/versions/7/baseline");
  });

  it("gives up with the last answer once the retries run out", async () => {
    const { client } = createClient({ maxRetries: 2 });
    server.answerAlways({ status: 503, body: { error: "overloaded", message: "Busy" } });
    await expect(client.uploadBaseline({ rows: [{ amount: 1 }] })).rejects.toMatchObject({
      name: "BaselineUploadError",
      status: 503,
      code: "overloaded",
      message: "HTTP 503 overloaded: Busy",
    });
    expect(server.requests).toHaveLength(3);
  });

  it("refuses at once when neither the call nor the client names the model", async () => {
    const { client } = createClient({ model: undefined });
    await expect(client.uploadBaseline({ rows: [{ amount: 1 }] })).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});
