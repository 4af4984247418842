import { labels } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createFreshModel,
  createKey,
  postRaw,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

/**
 * The CloudEvents limits over HTTP (docs/ingest-api.md, "CloudEvents limits"): payload sizes,
 * nesting, attribute values, and the scope and dedup of Seldon feedback.
 */

let harness: IngestHarness;
let writer: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  writer = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write"],
    })
  ).token;
  await createFreshModel(harness, "limits-model");
});

afterAll(async () => {
  await harness.close();
});

let sequence = 0;

function binaryEvent(
  type: string,
  body: string,
  headers: Record<string, string> = {},
  token: string = writer,
) {
  sequence += 1;
  return postRaw(harness.app, "/v1/ingest/cloudevents", token, body, {
    "ce-specversion": "1.0",
    "ce-id": `limits-${sequence}`,
    "ce-type": type,
    "ce-source": "http://localhost:9081/",
    "ce-inferenceservicename": "limits-model",
    "content-type": "application/json",
    ...headers,
  });
}

const KSERVE_REQUEST = "org.kubeflow.serving.inference.request";
const KSERVE_RESPONSE = "org.kubeflow.serving.inference.response";
const SELDON_REQUEST = "io.seldon.serving.inference.request";
const SELDON_RESPONSE = "io.seldon.serving.inference.response";
const SELDON_FEEDBACK = "io.seldon.serving.feedback";

function structuredEvent(event: Record<string, unknown>, token: string = writer) {
  sequence += 1;
  return postRaw(
    harness.app,
    "/v1/ingest/cloudevents",
    token,
    JSON.stringify({
      specversion: "1.0",
      id: `limits-structured-${sequence}`,
      type: KSERVE_REQUEST,
      source: "http://localhost:9081/",
      inferenceservicename: "limits-model",
      ...event,
    }),
    { "content-type": "application/cloudevents+json" },
  );
}

function expectInvalid(response: Awaited<ReturnType<typeof postRaw>>, message: RegExp): void {
  expect(response.statusCode, response.body).toBe(400);
  expect(response.json()).toMatchObject({
    error: "invalid_cloudevent",
    message: expect.stringMatching(message) as string,
  });
}

describe("CloudEvents payload sizes", () => {
  it("refuses a V2 tensor whose shape does not match its data, at once, on either half", async () => {
    const started = Date.now();
    // Once accepted as pending, then a heap exhaustion when its response came.
    const huge = await binaryEvent(
      KSERVE_REQUEST,
      JSON.stringify({
        inputs: [{ name: "x", shape: [100_000_000, 1], datatype: "FP32", data: [1, 2] }],
      }),
    );
    expectInvalid(huge, /inputs\[0\].*shape \[100000000, 1\].*at most 1000/);
    // Past the array length limit: once a 500 that rolled back the sweep.
    const past = await binaryEvent(
      KSERVE_RESPONSE,
      JSON.stringify({
        outputs: [{ name: "y", shape: [1e10, 1], datatype: "FP32", data: [1, 2] }],
      }),
    );
    expectInvalid(past, /outputs\[0\].*at most 1000/);
    // A 60-byte body that once blocked the event loop for 11 s.
    const small = await binaryEvent(
      KSERVE_REQUEST,
      JSON.stringify({ inputs: [{ shape: [1_000_000, 1], data: [1, 2] }] }),
    );
    expectInvalid(small, /at most 1000/);
    const mismatch = await binaryEvent(
      KSERVE_REQUEST,
      JSON.stringify({ inputs: [{ shape: [2, 3], data: [1, 2, 3, 4, 5] }] }),
    );
    expectInvalid(mismatch, /inputs\[0\]\.shape \[2, 3\] does not match its data: 5 values/);
    const second = await binaryEvent(
      KSERVE_REQUEST,
      JSON.stringify({
        inputs: [
          { name: "a", shape: [2], data: [1, 2] },
          { name: "b", shape: [3], data: [1, 2] },
        ],
      }),
    );
    expectInvalid(second, /inputs\[1\]\.shape \[3\]/);
    const negative = await binaryEvent(
      KSERVE_REQUEST,
      JSON.stringify({ inputs: [{ shape: [-1, 2], data: [1, 2] }] }),
    );
    expectInvalid(negative, /inputs\[0\]\.shape must be a list of at most 8 non-negative integers/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("caps V1 instances and predictions at the record cap of every endpoint", async () => {
    const rows = (count: number) => Array.from({ length: count }, (_, i) => [i, 1]);
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, JSON.stringify({ instances: rows(1001) })),
      /instances holds 1001 rows; at most 1000/,
    );
    expectInvalid(
      await binaryEvent(KSERVE_RESPONSE, JSON.stringify({ predictions: rows(1001) })),
      /predictions holds 1001 rows; at most 1000/,
    );
    const id = "v1-at-the-cap";
    const request = await binaryEvent(KSERVE_REQUEST, JSON.stringify({ instances: rows(1000) }), {
      "ce-id": id,
    });
    expect(request.statusCode, request.body).toBe(202);
    const response = await binaryEvent(
      KSERVE_RESPONSE,
      JSON.stringify({ predictions: Array.from({ length: 1000 }, () => 1) }),
      { "ce-id": id },
    );
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ status: "joined", records: 1000 });
  });

  it("caps Seldon ndarrays, tensors and feedback the same way", async () => {
    const seldon = { "ce-requestid": "seldon-limits", "ce-modelid": "classifier" };
    const ndarray = Array.from({ length: 1001 }, () => [1]);
    expectInvalid(
      await binaryEvent(SELDON_REQUEST, JSON.stringify({ data: { ndarray } }), seldon),
      /data\.ndarray holds 1001 rows; at most 1000/,
    );
    expectInvalid(
      await binaryEvent(
        SELDON_RESPONSE,
        JSON.stringify({ data: { tensor: { shape: [100_000_000, 1], values: [1, 2] } } }),
        seldon,
      ),
      /data\.tensor.*at most 1000/,
    );
    expectInvalid(
      await binaryEvent(SELDON_FEEDBACK, JSON.stringify({ truth: { data: { ndarray } } }), seldon),
      /truth\.data\.ndarray holds 1001 rows; at most 1000/,
    );
  });
});

describe("CloudEvents nesting, NUL and lone surrogates", () => {
  it("refuses data nested 10,000 deep with a 400, in binary and structured mode", async () => {
    const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, `{"instances":${deep}}`),
      /data\.instances(\[0\])+ is nested deeper than 32 levels/,
    );
    sequence += 1;
    const structured = await postRaw(
      harness.app,
      "/v1/ingest/cloudevents",
      writer,
      `{"specversion":"1.0","id":"deep-${sequence}","type":"${KSERVE_REQUEST}","inferenceservicename":"limits-model","data":{"instances":${deep}}}`,
      { "content-type": "application/cloudevents+json" },
    );
    expectInvalid(structured, /nested deeper than 32 levels/);
    // 32 levels is fine.
    const ok = `${"[".repeat(31)}1${"]".repeat(31)}`;
    const allowed = await binaryEvent(KSERVE_REQUEST, `{"instances":${ok}}`);
    expect(allowed.statusCode, allowed.body).toBe(202);
  });

  it("refuses a NUL or a lone surrogate in the data, naming where", async () => {
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, '{"instances":[[1,"a\\u0000b"]]}'),
      /data\.instances\[0\]\[1\] contains a NUL character/,
    );
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, '{"instances":[[1,"ab\\ud800cd"]]}'),
      /data\.instances\[0\]\[1\] contains a lone UTF-16 surrogate/,
    );
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, '{"instances":[{"f\\u0000":1}]}'),
      /a key of data\.instances\[0\] contains a NUL character/,
    );
    expectInvalid(
      await structuredEvent({ data: { instances: [["x\udc00"]] } }),
      /data\.instances\[0\]\[0\] contains a lone UTF-16 surrogate/,
    );
    expectInvalid(
      await binaryEvent(
        SELDON_FEEDBACK,
        '{"truth":{"data":{"names":["a\\u0000"],"ndarray":[[1]]}}}',
        { "ce-requestid": "nul-feedback" },
      ),
      /data\.truth\.data\.names\[0\] contains a NUL character/,
    );
  });

  it("refuses NUL, lone surrogates and over-long values in attributes, naming the attribute", async () => {
    expectInvalid(
      await structuredEvent({ source: "http://a\u0000b/" }),
      /"source" \(Ce-Source\) contains a NUL character/,
    );
    expectInvalid(
      await structuredEvent({ id: "ab\ud800" }),
      /"id" \(Ce-Id\) contains a lone UTF-16 surrogate/,
    );
    expectInvalid(
      await structuredEvent({ modelid: "m\u0000" }),
      /"modelid" \(Ce-Modelid\) contains a NUL character/,
    );
    expectInvalid(
      await structuredEvent({ endpoint: "e".repeat(3000) }),
      /"endpoint" \(Ce-Endpoint\) is 3000 characters long; at most 2048/,
    );
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, '{"instances":[[1]]}', { "ce-source": "s".repeat(3000) }),
      /"source" \(Ce-Source\) is 3000 characters long/,
    );
    expectInvalid(
      await binaryEvent(KSERVE_REQUEST, '{"instances":[[1]]}', { "ce-id": "i".repeat(300) }),
      /"id" \(Ce-Id\) is 300 characters long; at most 256/,
    );
    expectInvalid(
      await structuredEvent({ type: SELDON_REQUEST, requestid: "req\tuest", data: {} }),
      /"requestid" \(Ce-Requestid\) must be printable ASCII/,
    );
    expectInvalid(await structuredEvent({ id: "café" }), /"id" \(Ce-Id\) must be printable ASCII/);
  });
});

describe("Seldon feedback", () => {
  function feedback(token: string, headers: Record<string, string> = {}) {
    return binaryEvent(
      SELDON_FEEDBACK,
      JSON.stringify({ reward: 1, truth: { data: { names: ["no", "yes"], ndarray: [[0, 1]] } } }),
      {
        "ce-requestid": "feedback-1",
        "ce-modelid": "classifier",
        "ce-time": "2026-01-02T03:04:05.000Z",
        ...headers,
      },
      token,
    );
  }

  it("needs the labels:write scope, and inference halves need predictions:write", async () => {
    const predictionsOnly = (
      await createKey(harness.db, harness.project.id, { scopes: ["predictions:write"] })
    ).token;
    const refused = await feedback(predictionsOnly);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json()).toMatchObject({
      error: "forbidden",
      message: expect.stringContaining('"labels:write"') as string,
    });
    const labelsOnly = (
      await createKey(harness.db, harness.project.id, { scopes: ["labels:write"] })
    ).token;
    const halfRefused = await binaryEvent(KSERVE_REQUEST, '{"instances":[[1]]}', {}, labelsOnly);
    expect(halfRefused.statusCode).toBe(403);
    expect(halfRefused.json()).toMatchObject({
      message: expect.stringContaining('"predictions:write"') as string,
    });
    const accepted = await feedback(labelsOnly, { "ce-requestid": "feedback-scope" });
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json()).toMatchObject({ status: "label", records: 1 });
  });

  it("deduplicates a resent feedback and replays an Idempotency-Key, like POST /v1/labels", async () => {
    const model = await createFreshModel(harness, "feedback-dedup");
    const headers = { "ce-inferenceservicename": "feedback-dedup" };
    const first = await feedback(writer, headers);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ status: "label", records: 1, duplicates: 0 });
    const again = await feedback(writer, { ...headers, "ce-id": "resent-by-the-logger" });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json()).toMatchObject({ status: "label", records: 0, duplicates: 1 });
    const stored = await harness.db.select().from(labels).where(eq(labels.modelId, model.id));
    expect(stored).toHaveLength(1);

    const keyed = { ...headers, "ce-requestid": "feedback-keyed", "idempotency-key": "fb-1" };
    const original = await feedback(writer, keyed);
    expect(original.json()).toMatchObject({ records: 1 });
    const replayed = await feedback(writer, keyed);
    expect(replayed.statusCode).toBe(202);
    expect(replayed.headers["idempotent-replayed"]).toBe("true");
    expect(replayed.json()).toEqual(original.json());
  });
});
