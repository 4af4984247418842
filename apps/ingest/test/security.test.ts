import { Writable } from "node:stream";

import { revokeApiKey } from "@plumbline/db/api-keys";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildIngestApp } from "../src/app";
import {
  createKey,
  postPredictions,
  postRaw,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
});

afterAll(async () => {
  await harness.close();
});

const label = (model: string) => ({
  labels: [{ prediction_id: "p", model: { id: model }, actual: { label: 1 } }],
});

describe("API keys", () => {
  it("never lets a key of project A write project B, on any endpoint", async () => {
    const projectB = await createProject(harness.db);
    const modelB = await createModel(harness.db, { projectId: projectB.id, slug: "model-of-b" });
    await createModelVersion(harness.db, { modelId: modelB.id, version: "1" });
    const keyA = await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "baselines:write", "read"],
    });
    const record = predictionRecord({ model: { id: "model-of-b", version: "1" } });
    const predictions = await postPredictions(harness.app, keyA.token, { records: [record] });
    expect(predictions.statusCode).toBe(400);
    expect(predictions.json()).toMatchObject({
      accepted: 0,
      rejected: [{ code: "unknown_model" }],
    });
    const labels = await postRaw(
      harness.app,
      "/v1/labels",
      keyA.token,
      JSON.stringify(label("model-of-b")),
      { "content-type": "application/json" },
    );
    expect(labels.json()).toMatchObject({ accepted: 0, rejected: [{ code: "unknown_model" }] });
    const baseline = await postRaw(
      harness.app,
      "/v1/models/model-of-b/versions/1/baseline",
      keyA.token,
      "a\n1\n",
      { "content-type": "text/csv" },
    );
    expect(baseline.statusCode).toBe(404);
    const keyB = await createKey(harness.db, projectB.id);
    await postPredictions(harness.app, keyB.token, { records: [record] });
    const lookup = await harness.app.inject({
      method: "GET",
      url: `/v1/predictions/model-of-b/${record.prediction_id}`,
      headers: { "x-api-key": keyA.token },
    });
    expect(lookup.statusCode).toBe(404);
  });

  it("limits a key to its allowed models everywhere", async () => {
    const limited = await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "baselines:write"],
      modelAllowList: ["some-other-model"],
    });
    expect(
      (await postPredictions(harness.app, limited.token, { records: [predictionRecord()] }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await postRaw(
          harness.app,
          "/v1/labels",
          limited.token,
          JSON.stringify(label("fraud-detector")),
          { "content-type": "application/json" },
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await postRaw(
          harness.app,
          "/v1/models/fraud-detector/versions/1/baseline",
          limited.token,
          "a\n1\n",
          { "content-type": "text/csv" },
        )
      ).statusCode,
    ).toBe(403);
    const cloudevent = await postRaw(harness.app, "/v1/ingest/cloudevents", limited.token, "{}", {
      "ce-specversion": "1.0",
      "ce-id": "1",
      "ce-type": "org.kubeflow.serving.inference.request",
      "ce-inferenceservicename": "fraud-detector",
    });
    expect(cloudevent.statusCode).toBe(403);
  });

  it("answers 401 to revoked and expired keys on every endpoint", async () => {
    const revoked = await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "read"],
    });
    expect(
      (await postPredictions(harness.app, revoked.token, { records: [predictionRecord()] }))
        .statusCode,
    ).toBe(202);
    await revokeApiKey(
      harness.db,
      { projectId: harness.project.id, apiKeyId: revoked.key.id },
      { type: "system" },
    );
    const expired = await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "read"],
      expiresAt: new Date(Date.now() - 1000),
    });
    for (const token of [revoked.token, expired.token]) {
      expect(
        (await postPredictions(harness.app, token, { records: [predictionRecord()] })).statusCode,
      ).toBe(401);
      expect(
        (
          await postRaw(harness.app, "/v1/labels", token, JSON.stringify(label("fraud-detector")), {
            "content-type": "application/json",
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await harness.app.inject({
            method: "GET",
            url: "/v1/ingest/status",
            headers: { authorization: `Bearer ${token}` },
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await harness.app.inject({
            method: "GET",
            url: "/v1/predictions/fraud-detector/x",
            headers: { authorization: `Bearer ${token}` },
          })
        ).statusCode,
      ).toBe(401);
    }
  });

  it("refuses labels from a key without labels:write, and predictions from a label-only key", async () => {
    const writer = await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write"],
    });
    const labels = await postRaw(
      harness.app,
      "/v1/labels",
      writer.token,
      JSON.stringify(label("fraud-detector")),
      { "content-type": "application/json" },
    );
    expect(labels.statusCode).toBe(403);
    expect(labels.json()).toMatchObject({
      error: "forbidden",
      message: 'This API key lacks the "labels:write" scope',
    });
    const labeler = await createKey(harness.db, harness.project.id, { scopes: ["labels:write"] });
    expect(
      (await postPredictions(harness.app, labeler.token, { records: [predictionRecord()] }))
        .statusCode,
    ).toBe(403);
  });

  it("rate-limits each key with a token bucket: 429 with Retry-After", async () => {
    const app = buildIngestApp({
      db: harness.db,
      sql: harness.sql,
      rateLimit: { perSecond: 1, burst: 3 },
    });
    try {
      const key = await createKey(harness.db, harness.project.id);
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 5; i += 1) {
        const response = await postPredictions(app, key.token, { records: [predictionRecord()] });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) retryAfter = String(response.headers["retry-after"]);
      }
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another key has its own bucket.
      const other = await createKey(harness.db, harness.project.id);
      expect(
        (await postPredictions(app, other.token, { records: [predictionRecord()] })).statusCode,
      ).toBe(202);
    } finally {
      await app.close();
    }
  });

  it("never writes a key to the logs", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const app = buildIngestApp({
      db: harness.db,
      sql: harness.sql,
      logger: { level: "trace", stream },
    });
    try {
      const key = await createKey(harness.db, harness.project.id);
      await postPredictions(app, key.token, { records: [predictionRecord()] });
      await postPredictions(app, `${key.token.slice(0, -3)}xyz`, { records: [predictionRecord()] });
      await app.inject({
        method: "GET",
        url: "/v1/ingest/status",
        headers: { "x-api-key": key.token },
      });
      const secret = key.token.split("_").at(-1)!;
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.join("")).toContain("[redacted]");
      for (const line of lines) {
        expect(line).not.toContain(secret);
        expect(line).not.toContain(secret.slice(0, 20));
      }
    } finally {
      await app.close();
    }
  });
});
