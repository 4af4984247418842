import { labelRollupsMinute, labels } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createFreshModel,
  createKey,
  postPredictions,
  postRaw,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;
let labelToken: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  labelToken = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["labels:write", "predictions:write"],
    })
  ).token;
});

afterAll(async () => {
  await harness.close();
});

function postLabels(body: unknown, token = labelToken, headers: Record<string, string> = {}) {
  return postRaw(harness.app, "/v1/labels", token, JSON.stringify(body), {
    "content-type": "application/json",
    ...headers,
  });
}

function lookup(model: string, predictionId: string, token = labelToken) {
  return harness.app.inject({
    method: "GET",
    url: `/v1/predictions/${model}/${encodeURIComponent(predictionId)}`,
    headers: { authorization: `Bearer ${token}` },
  });
}

describe("POST /v1/labels", () => {
  it("upserts by revision: a higher one replaces, a lower one is a duplicate with a warning", async () => {
    const model = await createFreshModel(harness, "labels-revision");
    const base = {
      prediction_id: "p-1",
      model: { id: "labels-revision" },
      actual: { label: "fraud" },
    };
    expect((await postLabels({ labels: [base] })).json()).toMatchObject({
      accepted: 1,
      duplicates: 0,
    });
    // The same label again: a duplicate (safe retry).
    expect((await postLabels({ labels: [base] })).json()).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    // Revision 2 replaces, revision 1 then arrives late and loses.
    const second = await postLabels({
      labels: [{ ...base, actual: { label: "legit" }, revision: 2 }],
    });
    expect(second.json()).toMatchObject({ accepted: 1 });
    const late = await postLabels({
      labels: [{ ...base, actual: { label: "other" }, revision: 1 }],
    });
    expect(late.statusCode).toBe(202);
    expect(late.json()).toMatchObject({
      accepted: 0,
      duplicates: 1,
      warnings: [expect.objectContaining({ code: "stale_revision" }) as object],
    });
    // Same revision, different content: a conflict for that label.
    const conflict = await postLabels({
      labels: [{ ...base, actual: { label: "x" }, revision: 2 }],
    });
    expect(conflict.statusCode).toBe(400);
    expect(conflict.json()).toMatchObject({
      rejected: [expect.objectContaining({ code: "conflict" }) as object],
    });
    const [stored] = await harness.db.select().from(labels).where(eq(labels.modelId, model.id));
    expect(stored).toMatchObject({ revision: 2, actual: { label: "legit" } });
  });

  it("keeps a label that comes before its prediction and joins it when the prediction arrives", async () => {
    const model = await createFreshModel(harness, "labels-early", { versions: ["1", "2"] });
    const timestamp = new Date(Date.now() - 60 * 60 * 1000);
    const observed = new Date(timestamp.getTime() + 30 * 60 * 1000);
    const early = await postLabels({
      model: { id: "labels-early" },
      labels: [
        {
          prediction_id: "early-1",
          actual: { label: "fraud" },
          observed_at: observed.toISOString(),
        },
      ],
    });
    expect(early.json()).toMatchObject({
      accepted: 1,
      warnings: [expect.objectContaining({ code: "label_pending" }) as object],
    });
    const [pending] = await harness.db.select().from(labels).where(eq(labels.modelId, model.id));
    expect(pending?.joinedAt).toBeNull();

    const predicted = await postPredictions(harness.app, harness.token, {
      records: [
        predictionRecord({
          prediction_id: "early-1",
          model: { id: "labels-early", version: "2" },
          timestamp: timestamp.toISOString(),
        }),
      ],
    });
    expect(predicted.statusCode).toBe(202);
    const [joined] = await harness.db.select().from(labels).where(eq(labels.modelId, model.id));
    expect(joined?.joinedAt).not.toBeNull();
    expect(joined?.delayMs).toBe(30 * 60 * 1000);
    const [rollup] = await harness.db
      .select()
      .from(labelRollupsMinute)
      .where(eq(labelRollupsMinute.modelId, model.id));
    expect(rollup).toMatchObject({
      version: "2",
      labelName: "default",
      joinedCount: 1,
      delaySumMs: 30 * 60 * 1000,
    });
  });

  it("joins at once when the prediction is already stored, and shows both on lookup", async () => {
    await createFreshModel(harness, "labels-late");
    const record = predictionRecord({ model: { id: "labels-late", version: "1" } });
    await postPredictions(harness.app, harness.token, { records: [record] });
    const late = await postLabels({
      labels: [
        {
          prediction_id: record.prediction_id,
          model: { id: "labels-late", version: "1" },
          actual: { label: "legit" },
          label_name: "chargeback",
          source: "human",
        },
      ],
    });
    expect(late.json()).toMatchObject({ accepted: 1, warnings: [] });
    const found = await lookup("labels-late", record.prediction_id);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      model_id: "labels-late",
      prediction_id: record.prediction_id,
      predictions: [
        {
          version: "1",
          deployment: "stable",
          features: record.features,
          prediction: record.prediction,
        },
      ],
      labels: [
        {
          label_name: "chargeback",
          version: "1",
          actual: { label: "legit" },
          source: "human",
          joined_at: expect.any(String) as string,
        },
      ],
    });
  });

  it("needs labels:write, and rejects unknown models and versions per label", async () => {
    const denied = await postLabels(
      { labels: [{ prediction_id: "p", model: { id: "fraud-detector" }, actual: { label: 1 } }] },
      harness.token,
    );
    expect(denied.statusCode).toBe(403);
    const mixed = await postLabels({
      labels: [
        { prediction_id: "a", model: { id: "no-such-model" }, actual: { label: 1 } },
        { prediction_id: "b", model: { id: "fraud-detector", version: "9" }, actual: { label: 1 } },
        { prediction_id: "c", model: { id: "fraud-detector" }, actual: {} },
        { prediction_id: "d", model: { id: "fraud-detector" }, actual: { value: 3 } },
      ],
    });
    expect(mixed.statusCode).toBe(207);
    expect(mixed.json<{ rejected: { code: string }[] }>().rejected.map((r) => r.code)).toEqual([
      "unknown_model",
      "unknown_version",
      "schema_violation",
    ]);
  });
});

describe("GET /v1/predictions/{model_id}/{prediction_id}", () => {
  it("answers 404 for an unknown id and 403 outside the key's allow-list", async () => {
    expect((await lookup("fraud-detector", "nothing-here")).statusCode).toBe(404);
    const restricted = await createKey(harness.db, harness.project.id, {
      scopes: ["read"],
      modelAllowList: ["other"],
    });
    expect((await lookup("fraud-detector", "x", restricted.token)).statusCode).toBe(403);
    const reader = await createKey(harness.db, harness.project.id, { scopes: ["read"] });
    expect((await lookup("fraud-detector", "nothing-here", reader.token)).statusCode).toBe(404);
    const baselineOnly = await createKey(harness.db, harness.project.id, {
      scopes: ["baselines:write"],
    });
    expect((await lookup("fraud-detector", "x", baselineOnly.token)).statusCode).toBe(403);
  });
});

describe("GET /v1/ingest/status and /metrics", () => {
  it("counts what the key sent, in the database", async () => {
    const key = await createKey(harness.db, harness.project.id);
    const record = predictionRecord();
    await postPredictions(harness.app, key.token, {
      records: [record, predictionRecord({ timestamp: "2001-01-01T00:00:00Z" })],
    });
    await postPredictions(harness.app, key.token, { records: [record] });
    const status = await harness.app.inject({
      method: "GET",
      url: "/v1/ingest/status",
      headers: { "x-api-key": key.token },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      accepted: 1,
      rejected: 1,
      duplicates: 1,
      rejected_by_code: { timestamp_out_of_range: 1 },
      last_seen_at: expect.any(String) as string,
      key: { scopes: ["predictions:write"] },
    });
  });

  it("exposes Prometheus metrics", async () => {
    await postPredictions(harness.app, harness.token, {
      records: [predictionRecord(), { prediction_id: "bad" }],
    });
    const metrics = await harness.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers["content-type"]).toMatch(/^text\/plain/);
    const text = metrics.body;
    expect(text).toMatch(/plumbline_ingest_records_accepted_total\{kind="prediction"\} \d+/);
    expect(text).toMatch(
      /plumbline_ingest_records_rejected_total\{kind="prediction",code="schema_violation"\} 1/,
    );
    expect(text).toContain("plumbline_ingest_records_duplicate_total");
    expect(text).toContain("plumbline_ingest_request_duration_seconds_bucket");
    expect(text).toContain("plumbline_ingest_db_write_duration_seconds_bucket");
    expect(text).toContain("plumbline_ingest_requests_in_flight");
  });
});
