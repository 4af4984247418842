import { predictionRollupsMinute, predictions, labels } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sweepPartialHalves } from "../src/services/cloudevents/sweep-partial-halves";
import { ReferenceProfileCache } from "../src/services/reference-profiles/reference-profile-cache";
import {
  createFreshModel,
  createKey,
  postRaw,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;
let writer: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  writer = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write"],
    })
  ).token;
});

afterAll(async () => {
  await harness.close();
});

function kserveEvent(
  half: "request" | "response",
  id: string,
  service: string,
  body: unknown,
  extra: Record<string, string> = {},
) {
  return postRaw(harness.app, "/v1/ingest/cloudevents", writer, JSON.stringify(body), {
    "Ce-Specversion": "1.0",
    "Ce-Id": id,
    "Ce-Type": `org.kubeflow.serving.inference.${half}`,
    "Ce-Source": `http://localhost:9081/`,
    "Ce-Time": new Date().toISOString(),
    "Ce-Inferenceservicename": service,
    "Ce-Namespace": "default",
    "Ce-Component": "predictor",
    "Ce-Endpoint": "",
    // KServe copies the client's Content-Type, which may be anything.
    "Content-Type": "application/x-www-form-urlencoded",
    ...extra,
  });
}

async function storedPredictions(modelId: string) {
  return harness.db
    .select()
    .from(predictions)
    .where(eq(predictions.modelId, modelId))
    .orderBy(predictions.predictionId);
}

describe("POST /v1/ingest/cloudevents", () => {
  it("joins a KServe V1 request and response by Ce-Id, in either order, as canary traffic", async () => {
    const model = await createFreshModel(harness, "sklearn-iris", {
      versions: ["1", "2"],
      featureSchema: {
        sepal_length: { type: "numeric", position: 0 },
        sepal_width: { type: "numeric", position: 1 },
        petal_length: { type: "numeric", position: 2 },
        petal_width: { type: "numeric", position: 3 },
      },
    });
    const response = await kserveEvent(
      "response",
      "ce-1",
      "sklearn-iris",
      { predictions: [1, 2] },
      { "Ce-Endpoint": "canary" },
    );
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: "pending", join_id: "ce-1" });
    const request = await kserveEvent(
      "request",
      "ce-1",
      "sklearn-iris",
      {
        instances: [
          [6.8, 2.8, 4.8, 1.4],
          [6.0, 3.4, 4.5, 1.6],
        ],
      },
      { "Ce-Endpoint": "canary" },
    );
    expect(request.statusCode).toBe(202);
    expect(request.json()).toMatchObject({ status: "joined", records: 2 });
    const rows = await storedPredictions(model.id);
    expect(
      rows.map((row) => [row.predictionId, row.deployment, row.version, row.requestId]),
    ).toEqual([
      ["ce-1:0", "canary", "2", "ce-1"],
      ["ce-1:1", "canary", "2", "ce-1"],
    ]);
    expect(rows[0]?.features).toEqual({
      sepal_length: 6.8,
      sepal_width: 2.8,
      petal_length: 4.8,
      petal_width: 1.4,
    });
    expect(rows[1]?.prediction).toEqual({ label: 2, value: 2 });
  });

  it("reads V2 (Open Inference Protocol) in structured mode, taking the version from the response", async () => {
    const model = await createFreshModel(harness, "v2-model", { versions: ["1", "7"] });
    const structured = (type: string, data: unknown) =>
      postRaw(
        harness.app,
        "/v1/ingest/cloudevents",
        writer,
        JSON.stringify({
          specversion: "1.0",
          id: "v2-1",
          type,
          source: "kserve",
          time: new Date().toISOString(),
          inferenceservicename: "v2-model",
          datacontenttype: "application/json",
          data,
        }),
        { "content-type": "application/cloudevents+json" },
      );
    await structured("org.kubeflow.serving.inference.request", {
      inputs: [{ name: "input-0", shape: [2, 3], datatype: "FP32", data: [1, 2, 3, 4, 5, 6] }],
    });
    const joined = await structured("org.kubeflow.serving.inference.response", {
      model_name: "v2-model",
      model_version: "7",
      id: "body-id-not-ce-id",
      outputs: [{ name: "probs", shape: [2, 2], datatype: "FP32", data: [0.1, 0.9, 0.8, 0.2] }],
    });
    expect(joined.json()).toMatchObject({ status: "joined", records: 2 });
    const rows = await storedPredictions(model.id);
    expect(rows.map((row) => row.version)).toEqual(["7", "7"]);
    expect(rows[0]?.features).toEqual({ x0: 1, x1: 2, x2: 3 });
    expect(rows[0]?.prediction).toMatchObject({ label: 1, score: 0.9 });
    expect(rows[0]?.deployment).toBe("stable");
  });

  it("joins Seldon events by Ce-Requestid and stores feedback as labels", async () => {
    const model = await createFreshModel(harness, "seldon-model");
    const seldon = (type: string, id: string, body: unknown) =>
      postRaw(harness.app, "/v1/ingest/cloudevents", writer, JSON.stringify(body), {
        "ce-specversion": "1.0",
        "ce-id": id,
        "ce-type": type,
        "ce-requestid": "puid-1",
        "ce-modelid": "classifier",
        "ce-inferenceservicename": "seldon-model",
        "ce-endpoint": "default",
        "content-type": "application/json",
      });
    await seldon("io.seldon.serving.inference.request", "a", {
      data: { names: ["f1", "f2"], ndarray: [[1, 2]] },
    });
    const joined = await seldon("io.seldon.serving.inference.response", "b", {
      data: { names: ["no", "yes"], ndarray: [[0.3, 0.7]] },
    });
    expect(joined.json()).toMatchObject({ status: "joined", join_id: "puid-1", records: 1 });
    const [row] = await storedPredictions(model.id);
    expect(row).toMatchObject({
      predictionId: "puid-1:classifier:0",
      features: { f1: 1, f2: 2 },
      prediction: { label: "yes", score: 0.7 },
    });
    const feedback = await seldon("io.seldon.serving.feedback", "c", {
      reward: 1,
      truth: { data: { names: ["no", "yes"], ndarray: [[0, 1]] } },
    });
    expect(feedback.json()).toMatchObject({ status: "label", records: 1 });
    const [label] = await harness.db.select().from(labels).where(eq(labels.modelId, model.id));
    expect(label).toMatchObject({
      predictionId: "puid-1:classifier:0",
      actual: { label: "yes" },
      joinedAt: expect.any(Date) as Date,
    });
  });

  it("answers 400 naming a missing Ce-Id, Ce-Type or Ce-Specversion, or a body that is not JSON", async () => {
    const missing = await postRaw(harness.app, "/v1/ingest/cloudevents", writer, "{}", {
      "ce-type": "org.kubeflow.serving.inference.request",
      "content-type": "application/json",
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      error: "invalid_cloudevent",
      message: expect.stringContaining("Ce-Id, Ce-Specversion") as string,
    });
    const notJson = await kserveEvent("request", "x", "sklearn-iris", "x");
    expect(notJson.statusCode).toBe(202);
    const garbage = await postRaw(harness.app, "/v1/ingest/cloudevents", writer, "instances=1", {
      "ce-specversion": "1.0",
      "ce-id": "g",
      "ce-type": "org.kubeflow.serving.inference.request",
      "ce-inferenceservicename": "sklearn-iris",
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toMatchObject({
      error: "invalid_cloudevent",
      message: expect.stringMatching(/not JSON/) as string,
    });
  });

  it("stores a half without its partner as a partial record after the join timeout", async () => {
    const model = await createFreshModel(harness, "lonely-model");
    await kserveEvent("request", "lonely-1", "lonely-model", { instances: [[1, 2]] });
    const profiles = new ReferenceProfileCache(harness.sql);
    expect(await sweepPartialHalves({ sql: harness.sql, profiles }, new Date())).toMatchObject({
      stored: 0,
    });
    const later = new Date(Date.now() + 61_000);
    expect(await sweepPartialHalves({ sql: harness.sql, profiles }, later)).toMatchObject({
      stored: 1,
    });
    const [row] = await storedPredictions(model.id);
    expect(row).toMatchObject({
      predictionId: "lonely-1:0",
      prediction: {},
      metadata: expect.objectContaining({ partial: "request_only" }) as object,
    });
    const [rollup] = await harness.db
      .select()
      .from(predictionRollupsMinute)
      .where(eq(predictionRollupsMinute.modelId, model.id));
    expect(rollup).toMatchObject({ count: 1, partialCount: 1 });
  });
});
