import { labels, predictions, referenceProfiles } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createFreshModel,
  createKey,
  postRaw,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

/**
 * Values the database cannot store in one record of a batch of ten: that record is rejected in
 * the 207 answer with a message naming its field, the nine others are stored, nothing is altered.
 */

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

const FLOAT4 = "must be a finite number within the range of a 4-byte float";
const SURROGATE = "contains a lone UTF-16 surrogate (not valid Unicode), which cannot be stored";
const NUL = "contains a NUL character (\\u0000), which cannot be stored";
const INT4 = "must be an integer from -2147483648 to 2147483647";
const LONE = "ab\ud800cd";

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; prediction_id: string | null; code: string; message: string }[];
}

function post(url: string, body: unknown) {
  return postRaw(harness.app, url, token, JSON.stringify(body), {
    "content-type": "application/json",
  });
}

async function storedPredictionIds(modelId: string): Promise<string[]> {
  const rows = await harness.db
    .select({ id: predictions.predictionId })
    .from(predictions)
    .where(eq(predictions.modelId, modelId));
  return rows.map((row) => row.id).sort();
}

const BAD_INDEX = 3;

describe("one unstorable value in a batch of ten predictions", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["latency_ms 1e39", { latency_ms: 1e39 }, `latency_ms: ${FLOAT4}`],
    ["latency_ms 3.5e38", { latency_ms: 3.5e38 }, `latency_ms: ${FLOAT4}`],
    ["latency_ms 1e308", { latency_ms: 1e308 }, `latency_ms: ${FLOAT4}`],
    ["latency_ms 1e-50", { latency_ms: 1e-50 }, `latency_ms: ${FLOAT4}`],
    ["a lone surrogate in a feature", { features: { city: LONE } }, `features.city: ${SURROGATE}`],
    [
      "a lone surrogate in a feature array",
      { features: { tags: ["ok", LONE] } },
      `features.tags[1]: ${SURROGATE}`,
    ],
    [
      "a lone surrogate in the predicted label",
      { prediction: { label: LONE } },
      `prediction.label: ${SURROGATE}`,
    ],
    [
      "a lone surrogate in a segment",
      { segments: { region: LONE } },
      `segments.region: ${SURROGATE}`,
    ],
    ["a lone surrogate in request_id", { request_id: LONE }, `request_id: ${SURROGATE}`],
    ["a NUL in metadata", { metadata: { note: "a\u0000b" } }, `metadata.note: ${NUL}`],
  ];

  it.each(cases)(
    "%s: rejects that record alone and stores the nine others",
    async (_, bad, message) => {
      const slug = `vr-p-${Math.random().toString(36).slice(2, 10)}`;
      const model = await createFreshModel(harness, slug);
      const records = Array.from({ length: 10 }, (_, index) =>
        predictionRecord({
          model: { id: slug, version: "1" },
          latency_ms: 12.5,
          ...(index === BAD_INDEX ? bad : {}),
        }),
      );
      const response = await post("/v1/predictions", { records });
      expect(response.statusCode, response.body).toBe(207);
      const answer = response.json<BatchAnswer>();
      expect(answer.accepted).toBe(9);
      expect(answer.rejected).toEqual([
        {
          index: BAD_INDEX,
          prediction_id: records[BAD_INDEX]!.prediction_id,
          code: "schema_violation",
          message,
        },
      ]);
      const expected = records
        .filter((_, index) => index !== BAD_INDEX)
        .map((record) => record.prediction_id)
        .sort();
      expect(await storedPredictionIds(model.id)).toEqual(expected);
    },
  );

  it("stores the extremes a real column holds exactly as sent", async () => {
    const slug = "vr-extremes";
    const model = await createFreshModel(harness, slug);
    // The largest real, the smallest normal one, and a subnormal PostgreSQL still accepts.
    const latencies = [3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45];
    const records = latencies.map((latency_ms) =>
      predictionRecord({ model: { id: slug, version: "1" }, latency_ms, request_id: "é😀" }),
    );
    const response = await post("/v1/predictions", { records });
    expect(response.statusCode, response.body).toBe(202);
    const rows = await harness.db
      .select({ latency: predictions.latencyMs, requestId: predictions.requestId })
      .from(predictions)
      .where(eq(predictions.modelId, model.id));
    // PostgreSQL prints a real with the fewest digits that read back as the same real.
    const stored = rows.map((row) => Math.fround(row.latency!)).sort((a, b) => a - b);
    expect(stored).toEqual(latencies.map((latency) => Math.fround(latency)).sort((a, b) => a - b));
    expect(rows.every((row) => row.requestId === "é😀")).toBe(true);
  });
});

describe("answers that quote unstorable input", () => {
  it("are stored for Idempotency-Key replays with the input escaped, not answered 500", async () => {
    const records = [
      predictionRecord({ model: { id: "fraud-detector", version: "1", [`k${LONE}`]: 1 } }),
      predictionRecord({ prediction_id: `id-${LONE}\u0000` }),
      predictionRecord(),
    ];
    const headers = { "content-type": "application/json", "idempotency-key": "vr-echo-1" };
    const first = await postRaw(
      harness.app,
      "/v1/predictions",
      token,
      JSON.stringify({ records }),
      headers,
    );
    expect(first.statusCode, first.body).toBe(207);
    const answer = first.json<BatchAnswer>();
    expect(answer.rejected.map((entry) => entry.index)).toEqual([0, 1]);
    expect(answer.rejected[0]?.message).toContain("kab\\ud800cd");
    expect(answer.rejected[1]?.prediction_id).toBe("id-ab\\ud800cd\\u0000");
    const replay = await postRaw(
      harness.app,
      "/v1/predictions",
      token,
      JSON.stringify({ records }),
      headers,
    );
    expect(replay.statusCode).toBe(207);
    expect(replay.json()).toEqual(first.json());
  });
});

describe("one unstorable value in a batch of ten labels", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["revision 3000000000", { revision: 3_000_000_000 }, `revision: ${INT4}`],
    ["a lone surrogate in the label", { actual: { label: LONE } }, `actual.label: ${SURROGATE}`],
    ["a lone surrogate in the annotator", { annotator: LONE }, `annotator: ${SURROGATE}`],
    ["a NUL in metadata", { metadata: { note: "a\u0000b" } }, `metadata.note: ${NUL}`],
  ];

  it.each(cases)(
    "%s: rejects that label alone and stores the nine others",
    async (_, bad, message) => {
      const slug = `vr-l-${Math.random().toString(36).slice(2, 10)}`;
      const model = await createFreshModel(harness, slug);
      const batch = Array.from({ length: 10 }, (_, index) => ({
        prediction_id: `p-${index}`,
        actual: { label: "fraud" },
        ...(index === BAD_INDEX ? bad : {}),
      }));
      const response = await post("/v1/labels", { model: { id: slug }, labels: batch });
      expect(response.statusCode, response.body).toBe(207);
      const answer = response.json<BatchAnswer>();
      expect(answer.accepted).toBe(9);
      expect(answer.rejected).toEqual([
        { index: BAD_INDEX, prediction_id: `p-${BAD_INDEX}`, code: "schema_violation", message },
      ]);
      const stored = await harness.db
        .select({ id: labels.predictionId })
        .from(labels)
        .where(eq(labels.modelId, model.id));
      expect(stored.map((row) => row.id).sort()).toEqual(
        batch
          .filter((_, index) => index !== BAD_INDEX)
          .map((label) => label.prediction_id)
          .sort(),
      );
    },
  );
});

describe("one unstorable value in a reference dataset of ten rows", () => {
  const cases: [string, string, unknown, string][] = [
    ["a lone surrogate in a value", "city", LONE, `row 3, column city: ${SURROGATE}`],
    ["a NUL in a value", "city", "a\u0000b", `row 3, column city: ${NUL}`],
    ["a NUL in a prediction", "prediction", "a\u0000b", `row 3, column prediction: ${NUL}`],
  ];

  it.each(cases)("%s: answers 400 naming the row and column", async (_, column, value, message) => {
    const slug = `vr-b-${Math.random().toString(36).slice(2, 10)}`;
    const model = await createFreshModel(harness, slug);
    const rows = Array.from({ length: 10 }, (_, index) => ({
      city: index % 2 === 0 ? "Paris" : "Lyon",
      amount: index,
      prediction: "fraud",
      ...(index === BAD_INDEX ? { [column]: value } : {}),
    }));
    const response = await post(`/v1/models/${slug}/versions/1/baseline`, rows);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      error: "schema_violation",
      message: `The reference dataset is malformed: ${message}`,
    });
    const stored = await harness.db
      .select({ id: referenceProfiles.modelId })
      .from(referenceProfiles)
      .where(eq(referenceProfiles.modelId, model.id));
    expect(stored).toEqual([]);
  });

  it("answers a NUL in a CSV cell the same way", async () => {
    await createFreshModel(harness, "vr-b-csv");
    const csv = [
      "city,amount",
      ...Array.from({ length: 10 }, (_, i) => `c${i === 3 ? "\u0000" : ""},${i}`),
    ];
    const response = await postRaw(
      harness.app,
      "/v1/models/vr-b-csv/versions/1/baseline",
      token,
      csv.join("\n"),
      { "content-type": "text/csv" },
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(`row 3, column city: ${NUL}`);
  });
});
