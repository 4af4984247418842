import { createModel, createModelVersion } from "@plumbline/db/factories";
import { auditLog, models, modelVersions, projects } from "@plumbline/db/schema";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sweepPartialHalves } from "../src/services/cloudevents/sweep-partial-halves";
import { ReferenceProfileCache } from "../src/services/reference-profiles/reference-profile-cache";
import { createKey, postRaw, startIngestHarness, type IngestHarness } from "./harness";

/**
 * Replays payload-logger traffic shaped like real KServe (V1, V2) and Seldon Core v1 deployments
 * over HTTP, then compares every stored field with values worked out by hand: ids, row,
 * version, deployment, the microsecond timestamp, named features, class-name labels, scores,
 * partial status; and checks that nothing sent is lost without a count.
 */

let harness: IngestHarness;
let writer: string;
let writerKeyId: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  const key = await createKey(harness.db, harness.project.id, {
    scopes: ["predictions:write", "labels:write"],
  });
  writer = key.token;
  writerKeyId = key.key.id;
});

afterAll(async () => {
  await harness.close();
});

/** A `Ce-Time` a few seconds ago with nanosecond digits, and its microsecond form as stored. */
function eventTime(secondsAgo: number, nanos = "123456789") {
  const second = new Date(Date.now() - secondsAgo * 1000).toISOString().slice(0, 19);
  return { sent: `${second}.${nanos}Z`, stored: `${second}.${nanos.padEnd(6, "0").slice(0, 6)}Z` };
}

const IRIS_FEATURES = {
  sepal_length: { type: "numeric", position: 0 },
  sepal_width: { type: "numeric", position: 1 },
  petal_length: { type: "numeric", position: 2 },
  petal_width: { type: "numeric", position: 3 },
} as const;

async function irisModel(slug: string) {
  const model = await createModel(harness.db, {
    projectId: harness.project.id,
    slug,
    featureSchema: IRIS_FEATURES,
  });
  await createModelVersion(harness.db, {
    modelId: model.id,
    version: "1",
    classLabels: { labels: ["setosa", "versicolor", "virginica"], positive: null },
  });
  return model;
}

function kserve(
  half: "request" | "response",
  id: string,
  service: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return postRaw(harness.app, "/v1/ingest/cloudevents", writer, JSON.stringify(body), {
    "ce-specversion": "1.0",
    "ce-id": id,
    "ce-type": `org.kubeflow.serving.inference.${half}`,
    "ce-source": `http://localhost:9081/`,
    "ce-inferenceservicename": service,
    "ce-namespace": "default",
    "ce-component": "predictor",
    "ce-endpoint": "",
    "content-type": "application/json",
    ...headers,
  });
}

function seldon(
  type: "request" | "response" | "feedback",
  puid: string,
  node: string,
  body: unknown,
  time: string,
) {
  return postRaw(harness.app, "/v1/ingest/cloudevents", writer, JSON.stringify(body), {
    "ce-specversion": "1.0",
    "ce-id": `${puid}-${node}-${type}`,
    "ce-type":
      type === "feedback" ? "io.seldon.serving.feedback" : `io.seldon.serving.inference.${type}`,
    "ce-requestid": puid,
    "ce-modelid": node,
    "ce-inferenceservicename": "income",
    "ce-namespace": "seldon",
    "ce-endpoint": "default",
    "ce-time": time,
    "content-type": "application/json",
  });
}

interface StoredRow {
  prediction_id: string;
  request_id: string | null;
  version: string;
  deployment: string;
  ts: string;
  features: Record<string, unknown>;
  prediction: Record<string, unknown>;
  score: number | null;
  partial: string | null;
}

/** Every prediction of a model as stored, the time as UTC text to the microsecond. */
async function storedRows(modelId: string): Promise<StoredRow[]> {
  return harness.sql<StoredRow[]>`
    select prediction_id, request_id, version, deployment,
      to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts,
      features, prediction, score, metadata->>'partial' as partial
    from predictions where model_id = ${modelId} order by prediction_id`;
}

async function keyStatus() {
  const response = await harness.app.inject({
    method: "GET",
    url: "/v1/ingest/status",
    headers: { authorization: `Bearer ${writer}` },
  });
  return response.json<{ rejected: number; rejected_by_code: Record<string, number> }>();
}

async function rejectedMetric(code: string): Promise<number> {
  const text = (await harness.app.inject({ method: "GET", url: "/metrics" })).body;
  const line = text
    .split("\n")
    .find((row) =>
      row.startsWith(`plumbline_ingest_records_rejected_total{kind="cloudevent",code="${code}"}`),
    );
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("KServe V1 and V2 replayed over HTTP", () => {
  it("joins V1 request-first and response-first, default and canary, naming features and classes to the microsecond", async () => {
    const model = await irisModel("sklearn-iris-v1");
    const first = eventTime(5);
    const requestFirst = await kserve(
      "request",
      "v1-a",
      "sklearn-iris-v1",
      {
        instances: [
          [5.1, 3.5, 1.4, 0.2],
          [6.2, 2.9, 4.3, 1.3],
        ],
      },
      { "ce-time": first.sent },
    );
    expect(requestFirst.statusCode).toBe(202);
    expect(requestFirst.json()).toMatchObject({ status: "pending", records: 0 });
    const joined = await kserve(
      "response",
      "v1-a",
      "sklearn-iris-v1",
      { predictions: [0, 1] },
      { "ce-time": eventTime(4).sent },
    );
    expect(joined.statusCode).toBe(202);
    expect(joined.json()).toEqual({
      status: "joined",
      join_id: "v1-a",
      model_id: "sklearn-iris-v1",
      records: 2,
      duplicates: 0,
    });

    // Response first, canary endpoint, a probability vector per row; lower-cased headers.
    const second = eventTime(3, "987654");
    const responseFirst = await kserve(
      "response",
      "v1-b",
      "sklearn-iris-v1",
      { predictions: [[0.1, 0.2, 0.7]] },
      { "ce-endpoint": "canary", "ce-time": second.sent },
    );
    expect(responseFirst.json()).toMatchObject({ status: "pending" });
    await kserve(
      "request",
      "v1-b",
      "sklearn-iris-v1",
      { instances: [[7.7, 3.0, 6.1, 2.3]] },
      { "ce-endpoint": "canary", "ce-time": second.sent },
    );

    expect(await storedRows(model.id)).toEqual([
      {
        prediction_id: "v1-a:0",
        request_id: "v1-a",
        version: "1",
        deployment: "stable",
        ts: first.stored,
        features: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
        prediction: { label: "setosa", value: 0 },
        score: null,
        partial: null,
      },
      {
        prediction_id: "v1-a:1",
        request_id: "v1-a",
        version: "1",
        deployment: "stable",
        ts: first.stored,
        features: { sepal_length: 6.2, sepal_width: 2.9, petal_length: 4.3, petal_width: 1.3 },
        prediction: { label: "versicolor", value: 1 },
        score: null,
        partial: null,
      },
      {
        prediction_id: "v1-b:0",
        request_id: "v1-b",
        version: "1",
        deployment: "canary",
        ts: second.stored,
        features: { sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 },
        prediction: {
          label: "virginica",
          score: 0.7,
          scores: { setosa: 0.1, versicolor: 0.2, virginica: 0.7 },
        },
        score: 0.7,
        partial: null,
      },
    ]);
    // The dedup key carries the same microsecond time: the debug lookup finds the raw row.
    const lookup = await harness.app.inject({
      method: "GET",
      url: "/v1/predictions/sklearn-iris-v1/v1-b:0",
      headers: { authorization: `Bearer ${writer}` },
    });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toMatchObject({
      predictions: [{ version: "1", deployment: "canary", prediction: { label: "virginica" } }],
    });
  });

  it("joins V2 tensors either way, takes the reported version and names a binary score's class", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "xgb-fraud-v2",
      featureSchema: {
        amount: { type: "numeric", position: 0 },
        age_days: { type: "numeric", position: 1 },
      },
    });
    await createModelVersion(harness.db, {
      modelId: model.id,
      version: "1",
      classLabels: { labels: ["legit", "fraud"], positive: "fraud" },
    });
    await createModelVersion(harness.db, {
      modelId: model.id,
      version: "2",
      classLabels: { labels: ["ok", "fraudulent"], positive: "fraudulent" },
    });
    const time = eventTime(2, "000001");
    const request = {
      id: "body-id-not-the-join-id",
      inputs: [{ name: "input-0", shape: [2, 2], datatype: "FP32", data: [120.5, 3, 9.99, 400] }],
    };
    const response = {
      model_name: "xgb-fraud-v2",
      model_version: "1",
      id: "body-id-not-the-join-id",
      outputs: [{ name: "output-0", shape: [2], datatype: "FP32", data: [0.91, 0.12] }],
    };
    await kserve("request", "v2-a", "xgb-fraud-v2", request, { "ce-time": time.sent });
    await kserve("response", "v2-a", "xgb-fraud-v2", response, { "ce-time": time.sent });
    await kserve("response", "v2-b", "xgb-fraud-v2", response, {
      "ce-time": time.sent,
      "ce-endpoint": "canary",
    });
    const last = await kserve("request", "v2-b", "xgb-fraud-v2", request, {
      "ce-time": time.sent,
      "ce-endpoint": "canary",
    });
    expect(last.json()).toMatchObject({ status: "joined", records: 2 });

    const expected = (id: string, row: number, deployment: string): StoredRow => ({
      prediction_id: `${id}:${row}`,
      request_id: id,
      version: "1",
      deployment,
      ts: time.stored,
      features: row === 0 ? { amount: 120.5, age_days: 3 } : { amount: 9.99, age_days: 400 },
      prediction:
        row === 0
          ? { label: "fraud", score: 0.91, scores: { fraud: 0.91, legit: 1 - 0.91 } }
          : { label: "legit", score: 0.12, scores: { fraud: 0.12, legit: 1 - 0.12 } },
      score: row === 0 ? 0.91 : 0.12,
      partial: null,
    });
    expect(await storedRows(model.id)).toEqual([
      expected("v2-a", 0, "stable"),
      expected("v2-a", 1, "stable"),
      expected("v2-b", 0, "canary"),
      expected("v2-b", 1, "canary"),
    ]);
  });

  it("stores request-only and response-only loggers' halves as partial records after the join window", async () => {
    const model = await irisModel("sklearn-iris-partial");
    const time = eventTime(1, "5");
    await kserve(
      "request",
      "only-request",
      "sklearn-iris-partial",
      { instances: [[5.0, 3.4, 1.5, 0.2]] },
      { "ce-time": time.sent },
    );
    await kserve(
      "response",
      "only-response",
      "sklearn-iris-partial",
      { predictions: [2] },
      { "ce-time": time.sent },
    );
    const profiles = new ReferenceProfileCache(harness.sql);
    // Within the join window (here set to 5 minutes) nothing is swept.
    const soon = new Date(Date.now() + 61_000);
    expect(await sweepPartialHalves({ sql: harness.sql, profiles }, soon, 300_000)).toMatchObject({
      stored: 0,
    });
    const later = new Date(Date.now() + 301_000);
    const swept = await sweepPartialHalves({ sql: harness.sql, profiles }, later, 300_000);
    expect(swept).toMatchObject({ stored: 2, rejected: {}, quarantined: [] });
    expect(await storedRows(model.id)).toEqual([
      {
        prediction_id: "only-request:0",
        request_id: "only-request",
        version: "1",
        deployment: "stable",
        ts: time.stored,
        features: { sepal_length: 5.0, sepal_width: 3.4, petal_length: 1.5, petal_width: 0.2 },
        prediction: {},
        score: null,
        partial: "request_only",
      },
      {
        prediction_id: "only-response:0",
        request_id: "only-response",
        version: "1",
        deployment: "stable",
        ts: time.stored,
        features: {},
        prediction: { label: "virginica", value: 2 },
        score: null,
        partial: "response_only",
      },
    ]);
  });
});

describe("Seldon Core v1 replayed over HTTP", () => {
  it("joins a request/response pair, names t:N columns, takes one-hot feedback as a class-name label at Ce-Time", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "income",
    });
    await createModelVersion(harness.db, {
      modelId: model.id,
      version: "1",
      classLabels: { labels: ["<=50K", ">50K"], positive: ">50K" },
    });
    const time = eventTime(6, "111222333");
    await seldon(
      "request",
      "puid-1",
      "classifier",
      {
        data: {
          names: ["age", "hours"],
          ndarray: [
            [39, 40],
            [52, 60],
          ],
        },
      },
      time.sent,
    );
    const joined = await seldon(
      "response",
      "puid-1",
      "classifier",
      {
        data: {
          names: ["t:0", "t:1"],
          ndarray: [
            [0.8, 0.2],
            [0.3, 0.7],
          ],
        },
      },
      time.sent,
    );
    expect(joined.json()).toMatchObject({ status: "joined", join_id: "puid-1", records: 2 });
    expect(await storedRows(model.id)).toEqual([
      {
        prediction_id: "puid-1:classifier:0",
        request_id: "puid-1",
        version: "1",
        deployment: "stable",
        ts: time.stored,
        features: { age: 39, hours: 40 },
        prediction: { label: "<=50K", score: 0.8, scores: { "<=50K": 0.8, ">50K": 0.2 } },
        score: 0.8,
        partial: null,
      },
      {
        prediction_id: "puid-1:classifier:1",
        request_id: "puid-1",
        version: "1",
        deployment: "stable",
        ts: time.stored,
        features: { age: 52, hours: 60 },
        prediction: { label: ">50K", score: 0.7, scores: { "<=50K": 0.3, ">50K": 0.7 } },
        score: 0.7,
        partial: null,
      },
    ]);

    const feedbackTime = eventTime(1, "444555666");
    const feedback = await seldon(
      "feedback",
      "puid-1",
      "classifier",
      {
        reward: 1,
        truth: {
          data: {
            ndarray: [
              [0, 1],
              [1, 0],
            ],
          },
        },
      },
      feedbackTime.sent,
    );
    expect(feedback.json()).toMatchObject({ status: "label", records: 2 });
    const labels = await harness.sql<
      {
        prediction_id: string;
        actual: unknown;
        observed_at: string;
        source: string;
        joined: boolean;
      }[]
    >`
      select prediction_id, actual, source, joined_at is not null as joined,
        to_char(observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as observed_at
      from labels where model_id = ${model.id} order by prediction_id`;
    expect(labels).toEqual([
      {
        prediction_id: "puid-1:classifier:0",
        actual: { label: ">50K" },
        source: "customer_feedback",
        observed_at: feedbackTime.stored,
        joined: true,
      },
      {
        prediction_id: "puid-1:classifier:1",
        actual: { label: "<=50K" },
        source: "customer_feedback",
        observed_at: feedbackTime.stored,
        joined: true,
      },
    ]);
  });

  it("keeps both nodes' halves of a two-node graph that share one Ce-Requestid", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "income-graph",
    });
    await createModelVersion(harness.db, { modelId: model.id, version: "1" });
    const time = eventTime(2, "000000500");
    const graph = (type: "request" | "response", node: string, body: unknown) =>
      postRaw(harness.app, "/v1/ingest/cloudevents", writer, JSON.stringify(body), {
        "ce-specversion": "1.0",
        "ce-id": `${node}-${type}`,
        "ce-type": `io.seldon.serving.inference.${type}`,
        "ce-requestid": "puid-graph",
        "ce-modelid": node,
        "ce-inferenceservicename": "income-graph",
        "ce-endpoint": "default",
        "ce-time": time.sent,
        "content-type": "application/json",
      });
    // Interleaved as the executor logs them: both requests, then both responses.
    expect(
      (await graph("request", "preprocess", { data: { names: ["raw"], ndarray: [[7]] } })).json(),
    ).toMatchObject({ status: "pending" });
    expect(
      (
        await graph("request", "classifier", { data: { names: ["scaled"], ndarray: [[0.7]] } })
      ).json(),
    ).toMatchObject({ status: "pending" });
    expect(
      (await graph("response", "classifier", { data: { ndarray: [[1]] } })).json(),
    ).toMatchObject({ status: "joined", records: 1 });
    expect(
      (
        await graph("response", "preprocess", { data: { names: ["scaled"], ndarray: [[0.7]] } })
      ).json(),
    ).toMatchObject({ status: "joined", records: 1 });
    const rows = await storedRows(model.id);
    expect(rows).toEqual([
      {
        prediction_id: "puid-graph:classifier:0",
        request_id: "puid-graph",
        version: "1",
        deployment: "stable",
        ts: time.stored,
        features: { scaled: 0.7 },
        prediction: { label: 1, value: 1 },
        score: null,
        partial: null,
      },
      {
        prediction_id: "puid-graph:preprocess:0",
        request_id: "puid-graph",
        version: "1",
        deployment: "stable",
        ts: time.stored,
        features: { raw: 7 },
        prediction: { value: 0.7, score: 0.7 },
        score: 0.7,
        partial: null,
      },
    ]);
    const [waiting] = await harness.sql<{ n: string }[]>`
      select count(*) as n from cloudevent_halves where model_id = ${model.id}`;
    expect(Number(waiting!.n)).toBe(0);
  });
});

describe("nothing sent is lost without a count", () => {
  it("refuses events outside the time window with 400 timestamp_out_of_range, counted in status and /metrics", async () => {
    const model = await irisModel("sklearn-iris-window");
    const before = await keyStatus();
    const metricBefore = await rejectedMetric("timestamp_out_of_range");
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();
    const tooOld = await kserve(
      "request",
      "old-1",
      "sklearn-iris-window",
      {
        instances: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
      },
      { "ce-time": old },
    );
    expect(tooOld.statusCode).toBe(400);
    expect(tooOld.json()).toMatchObject({
      status: "rejected",
      records: 0,
      rejected: [
        {
          code: "timestamp_out_of_range",
          count: 2,
          message: expect.stringContaining("older than the 30-day retention") as string,
        },
      ],
    });
    const future = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    const tooNew = await kserve(
      "response",
      "new-1",
      "sklearn-iris-window",
      { predictions: [1] },
      { "ce-time": future },
    );
    expect(tooNew.statusCode).toBe(400);
    expect(tooNew.json()).toMatchObject({
      rejected: [{ code: "timestamp_out_of_range", count: 1 }],
    });

    const after = await keyStatus();
    expect(after.rejected_by_code.timestamp_out_of_range ?? 0).toBe(
      (before.rejected_by_code.timestamp_out_of_range ?? 0) + 3,
    );
    expect(after.rejected_by_code.schema_violation ?? 0).toBe(
      before.rejected_by_code.schema_violation ?? 0,
    );
    expect(await rejectedMetric("timestamp_out_of_range")).toBe(metricBefore + 3);
    expect(await storedRows(model.id)).toEqual([]);
    const [waiting] = await harness.sql<{ n: string }[]>`
      select count(*) as n from cloudevent_halves where model_id = ${model.id}`;
    expect(Number(waiting!.n)).toBe(0);
  });

  it("counts a waiting half the sweep can no longer store under timestamp_out_of_range", async () => {
    const model = await irisModel("sklearn-iris-stale");
    await kserve(
      "request",
      "stale-1",
      "sklearn-iris-stale",
      {
        instances: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
        ],
      },
      { "ce-time": eventTime(1).sent },
    );
    const before = await keyStatus();
    const profiles = new ReferenceProfileCache(harness.sql);
    // The sweep runs long after: the half's time has left the 30-day window meanwhile.
    const muchLater = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    const swept = await sweepPartialHalves({ sql: harness.sql, profiles }, muchLater);
    expect(swept.rejected).toMatchObject({ timestamp_out_of_range: 3 });
    const after = await keyStatus();
    expect(after.rejected_by_code.timestamp_out_of_range).toBe(
      (before.rejected_by_code.timestamp_out_of_range ?? 0) + 3,
    );
    expect(await storedRows(model.id)).toEqual([]);
  });

  it("answers 415 to a content type that is not JSON", async () => {
    await irisModel("sklearn-iris-xml");
    const xml = await kserve(
      "request",
      "xml-1",
      "sklearn-iris-xml",
      { instances: [[1, 2, 3, 4]] },
      { "content-type": "application/xml" },
    );
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: "unsupported_media_type" });
    // KServe copies the client's header: form-urlencoded with a JSON body is read by content.
    const form = await kserve(
      "request",
      "form-1",
      "sklearn-iris-xml",
      { instances: [[1, 2, 3, 4]] },
      { "content-type": "application/x-www-form-urlencoded" },
    );
    expect(form.statusCode).toBe(202);
  });
});

describe("models and versions on first sight", () => {
  it("registers version 1 of a registered model without versions, audited as the key", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "fresh-schema-only",
      featureSchema: IRIS_FEATURES,
    });
    await harness.db
      .update(models)
      .set({ classLabels: { labels: ["setosa", "versicolor", "virginica"], positive: null } })
      .where(eq(models.id, model.id));
    await kserve("request", "fresh-1", "fresh-schema-only", { instances: [[1, 2, 3, 4]] });
    const joined = await kserve("response", "fresh-1", "fresh-schema-only", { predictions: [2] });
    expect(joined.statusCode).toBe(202);
    const [version] = await harness.db
      .select()
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id));
    expect(version).toMatchObject({
      version: "1",
      status: "registering",
      classLabels: { labels: ["setosa", "versicolor", "virginica"], positive: null },
      createdByApiKeyId: writerKeyId,
    });
    const [row] = await storedRows(model.id);
    expect(row?.prediction).toEqual({ label: "virginica", value: 2 });
    const audited = await harness.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.resourceId, version!.id), eq(auditLog.action, "model_version.registered")),
      );
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorType: "api_key", actorId: writerKeyId });
  });

  it("refuses an unknown model (counted) unless the project registers models on first sight", async () => {
    const before = await keyStatus();
    const refused = await kserve("request", "auto-1", "never-registered", {
      instances: [[1, 2]],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      status: "rejected",
      rejected: [{ code: "unknown_model", count: 1 }],
    });
    expect((await keyStatus()).rejected_by_code.unknown_model).toBe(
      (before.rejected_by_code.unknown_model ?? 0) + 1,
    );

    await harness.db
      .update(projects)
      .set({ autoRegisterModels: true })
      .where(eq(projects.id, harness.project.id));
    try {
      await kserve("request", "auto-2", "never-registered", { instances: [[1, 2]] });
      const joined = await kserve("response", "auto-2", "never-registered", {
        model_version: "v7",
        outputs: [{ name: "o", shape: [1], datatype: "INT64", data: [1] }],
      });
      expect(joined.json()).toMatchObject({ status: "joined", records: 1 });
      const [model] = await harness.db
        .select()
        .from(models)
        .where(and(eq(models.projectId, harness.project.id), eq(models.slug, "never-registered")));
      expect(model).toMatchObject({ name: "never-registered", task: "other" });
      const versions = await harness.db
        .select({ version: modelVersions.version })
        .from(modelVersions)
        .where(eq(modelVersions.modelId, model!.id))
        .orderBy(modelVersions.version);
      expect(versions.map((v) => v.version)).toEqual(["1", "v7"]);
      expect((await storedRows(model!.id)).map((row) => [row.prediction_id, row.version])).toEqual([
        ["auto-2:0", "v7"],
      ]);
      const audited = await harness.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(eq(auditLog.resourceId, model!.id));
      expect(audited).toEqual([{ action: "model.registered" }]);
    } finally {
      await harness.db
        .update(projects)
        .set({ autoRegisterModels: false })
        .where(eq(projects.id, harness.project.id));
    }
  });
});
