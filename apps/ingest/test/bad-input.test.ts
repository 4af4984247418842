import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createKey,
  postRaw,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;
let token: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  token = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "baselines:write"],
    })
  ).token;
});

afterAll(async () => {
  await harness.close();
});

const ENDPOINTS = [
  "/v1/predictions",
  "/v1/labels",
  "/v1/ingest/cloudevents",
  "/v1/models/fraud-detector/versions/1/baseline",
];

/** Never a 500, always a JSON answer with a code and a message (or the per-record shape). */
function expectClearAnswer(response: { statusCode: number; body: string }) {
  expect(response.statusCode, response.body).toBeLessThan(500);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  if (response.statusCode >= 400 && !("rejected" in body)) {
    expect(typeof body.error).toBe("string");
    expect(typeof body.message).toBe("string");
    expect((body.message as string).length).toBeGreaterThan(5);
  }
}

const ceHeaders = {
  "ce-specversion": "1.0",
  "ce-id": "fuzz",
  "ce-type": "org.kubeflow.serving.inference.request",
  "ce-inferenceservicename": "fraud-detector",
};

describe("bad input never crashes the service", () => {
  it("answers malformed JSON, wrong content types, truncated gzip and oversized bodies clearly", async () => {
    const cases: [string, Buffer | string, Record<string, string>][] = [
      ["/v1/predictions", "{", { "content-type": "application/json" }],
      ["/v1/predictions", "[]", { "content-type": "application/json" }],
      ["/v1/predictions", "null", { "content-type": "application/json" }],
      ["/v1/predictions", "<xml/>", { "content-type": "application/xml" }],
      ["/v1/predictions", "a,b", { "content-type": "text/csv" }],
      ["/v1/predictions", "", {}],
      ["/v1/labels", "{}", { "content-type": "multipart/form-data; boundary=x" }],
      [
        "/v1/predictions",
        gzipSync("{}").subarray(0, 5),
        { "content-type": "application/json", "content-encoding": "gzip" },
      ],
      [
        "/v1/predictions",
        Buffer.alloc(6 * 1024 * 1024, 0x20),
        { "content-type": "application/json" },
      ],
      ["/v1/labels", Buffer.from([0xc3, 0x28, 0x7b, 0x7d]), { "content-type": "application/json" }],
      ["/v1/ingest/cloudevents", "{", { ...ceHeaders, "content-type": "application/json" }],
      ["/v1/ingest/cloudevents", "{", { "content-type": "application/cloudevents+json" }],
      [
        "/v1/ingest/cloudevents",
        '{"specversion":"1.0"}',
        { "content-type": "application/cloudevents+json" },
      ],
      ["/v1/models/fraud-detector/versions/1/baseline", '"a', { "content-type": "text/csv" }],
      [
        "/v1/models/fraud-detector/versions/1/baseline",
        "{}",
        { "content-type": "application/json" },
      ],
    ];
    for (const [url, payload, headers] of cases) {
      const response = await postRaw(harness.app, url, token, payload, headers);
      expectClearAnswer(response);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it("takes 10,000 records as a clear 400 (the limit is 1,000), and 1,000 as a batch", async () => {
    const many = await postRaw(
      harness.app,
      "/v1/predictions",
      token,
      JSON.stringify({ records: Array.from({ length: 10_000 }, () => ({ prediction_id: "x" })) }),
      {
        "content-type": "application/json",
      },
    );
    expect(many.statusCode).toBe(400);
    expect(many.json()).toMatchObject({
      error: "schema_violation",
      message: expect.stringContaining("1 to 1000 records") as string,
    });
    const thousand = await postRaw(
      harness.app,
      "/v1/predictions",
      token,
      JSON.stringify({ records: Array.from({ length: 1000 }, () => predictionRecord()) }),
      {
        "content-type": "application/json",
      },
    );
    expect(thousand.statusCode).toBe(202);
  });

  it("rejects deeply nested and huge feature values per record", async () => {
    // Built as text: JSON.stringify itself would overflow the test's stack.
    const deep = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
    const payload = JSON.stringify({
      records: [
        predictionRecord({ features: { deep: "DEEP_FEATURE" } }),
        predictionRecord({ features: { huge: "x".repeat(2_000_000) } }),
        predictionRecord({
          features: Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`f${i}`, i])),
        }),
        predictionRecord({ metadata: { deep: "DEEP_METADATA" } }),
      ],
    })
      .replace('"DEEP_FEATURE"', deep(5_000))
      .replace('"DEEP_METADATA"', deep(5_000));
    const response = await postRaw(harness.app, "/v1/predictions", token, payload, {
      "content-type": "application/json",
    });
    expectClearAnswer(response);
    const body = response.json<{ rejected: { index: number; code: string }[] }>();
    expect(body.rejected.map((r) => r.index)).toEqual([0, 2, 3]);
  });

  it("survives random values in every field of a record (fast-check)", async () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const record = fc.record(
      {
        prediction_id: fc.oneof(fc.string({ maxLength: 20 }), anyJson),
        model: fc.oneof(fc.constant({ id: "fraud-detector", version: "1" }), anyJson),
        timestamp: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
          anyJson,
        ),
        features: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 5 }),
          anyJson,
        ),
        prediction: fc.oneof(
          fc.record(
            { label: anyJson, score: fc.oneof(fc.double(), anyJson) },
            { requiredKeys: [] },
          ),
          anyJson,
        ),
        segments: anyJson,
        metadata: anyJson,
        latency_ms: fc.oneof(fc.double(), anyJson),
        status: fc.oneof(fc.constantFrom("ok", "error", "weird"), anyJson),
        trace: anyJson,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 5 }),
        fc.string({ maxLength: 40 }),
        async (records, noise) => {
          const predictions = await postRaw(
            harness.app,
            "/v1/predictions",
            token,
            JSON.stringify({ records }),
            { "content-type": "application/json" },
          );
          expectClearAnswer(predictions);
          const labels = await postRaw(
            harness.app,
            "/v1/labels",
            token,
            JSON.stringify({ labels: records.map((r) => ({ ...r, actual: r.prediction })) }),
            {
              "content-type": "application/json",
            },
          );
          expectClearAnswer(labels);
          const ndjson = await postRaw(
            harness.app,
            "/v1/predictions",
            token,
            `${records.map((r) => JSON.stringify(r)).join("\n")}\n${noise}`,
            {
              "content-type": "application/x-ndjson",
            },
          );
          expectClearAnswer(ndjson);
          const cloudevent = await postRaw(
            harness.app,
            "/v1/ingest/cloudevents",
            token,
            JSON.stringify({ instances: records, predictions: records }),
            {
              ...ceHeaders,
              "ce-id": `fuzz-${noise}`.replace(/[^\x20-\x7e]/g, "?"),
              "content-type": "application/json",
            },
          );
          expectClearAnswer(cloudevent);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("survives random bytes on every endpoint (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(
          "application/json",
          "application/x-ndjson",
          "text/csv",
          "text/plain",
          "application/cloudevents+json",
        ),
        fc.boolean(),
        async (url, bytes, contentType, gzip) => {
          const payload = gzip ? gzipSync(Buffer.from(bytes)) : Buffer.from(bytes);
          const response = await postRaw(harness.app, url, token, payload, {
            "content-type": contentType,
            ...(gzip ? { "content-encoding": "gzip" } : {}),
            ...(url.includes("cloudevents") ? ceHeaders : {}),
          });
          expectClearAnswer(response);
        },
      ),
      { numRuns: 150 },
    );
  });
});
