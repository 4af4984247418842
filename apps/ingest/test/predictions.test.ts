import { revokeApiKey } from "@plumbline/db/api-keys";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import { predictionKeys, predictionRollupsMinute, predictions } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOW_CONFIDENCE_SCORE } from "../src/services/rollups/minute-rollups";
import {
  createKey,
  postPredictions,
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

/** A fresh model (with version "1") so each test reads only its own rows. */
async function freshModel(slug: string) {
  const model = await createModel(harness.db, { projectId: harness.project.id, slug });
  await createModelVersion(harness.db, { modelId: model.id, version: "1" });
  return model;
}

async function storedRows(modelId: string) {
  return harness.db.select().from(predictions).where(eq(predictions.modelId, modelId));
}

async function storedKeys(modelId: string) {
  return harness.db.select().from(predictionKeys).where(eq(predictionKeys.modelId, modelId));
}

async function rollups(modelId: string) {
  return harness.db
    .select()
    .from(predictionRollupsMinute)
    .where(eq(predictionRollupsMinute.modelId, modelId));
}

describe("POST /v1/predictions: accepted batches", () => {
  it("stores every record and its rollups, then answers 202", async () => {
    const model = await freshModel("happy-path");
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    const at = (second: number) => new Date(minute.getTime() + second * 1000).toISOString();
    const response = await postPredictions(harness.app, harness.token, {
      model: { id: "happy-path", version: "1", deployment: "canary" },
      defaults: { segments: { region: "eu" } },
      records: [
        predictionRecord({ model: undefined, timestamp: at(1), prediction: { score: 0.9 } }),
        predictionRecord({
          model: undefined,
          timestamp: at(2),
          prediction: { score: 0.3 },
          latency_ms: 12,
          segments: { tier: "gold" },
        }),
        predictionRecord({
          model: undefined,
          timestamp: at(3),
          prediction: { label: "x" },
          status: "error",
          error_code: "timeout",
          latency_ms: 30,
        }),
      ],
    });

    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [], warnings: [] });

    const rows = await storedRows(model.id);
    expect(rows).toHaveLength(3);
    const second = rows.find((row) => row.latencyMs === 12);
    expect(second).toMatchObject({
      deployment: "canary",
      environment: "production",
      version: "1",
      score: 0.3,
      segments: { region: "eu", tier: "gold" },
    });
    expect(await storedKeys(model.id)).toHaveLength(3);

    const [rollup, ...others] = await rollups(model.id);
    expect(others).toHaveLength(0);
    expect(rollup).toMatchObject({
      minute,
      version: "1",
      deployment: "canary",
      count: 3,
      scoreCount: 2,
      lowConfidenceCount: 1,
      errorCount: 1,
      latencyCount: 2,
      latencySumMs: 42,
      duplicateCount: 0,
    });
    expect(rollup?.scoreSum).toBeCloseTo(1.2, 10);
    expect(LOW_CONFIDENCE_SCORE).toBe(0.6);
  });

  it("accepts the key in X-API-Key too", async () => {
    const response = await postPredictions(
      harness.app,
      null,
      { records: [predictionRecord()] },
      { "x-api-key": harness.token },
    );
    expect(response.statusCode).toBe(202);
  });

  it("counts an identical replay as duplicates and writes nothing twice", async () => {
    const model = await freshModel("replayed");
    const records = [1, 2].map((n) =>
      predictionRecord({ prediction_id: `replay-${n}`, model: { id: "replayed", version: "1" } }),
    );
    expect((await postPredictions(harness.app, harness.token, { records })).statusCode).toBe(202);

    // Same data, keys in another order: still the same payload.
    const reordered = records.map(({ prediction, features, ...rest }) => ({
      features,
      ...rest,
      prediction,
    }));
    const replay = await postPredictions(harness.app, harness.token, { records: reordered });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ accepted: 0, duplicates: 2, rejected: [], warnings: [] });

    expect(await storedRows(model.id)).toHaveLength(2);
    const totals = (await rollups(model.id)).reduce(
      (sum, row) => ({ count: sum.count + row.count, dups: sum.dups + row.duplicateCount }),
      { count: 0, dups: 0 },
    );
    expect(totals).toEqual({ count: 2, dups: 2 });
  });

  it("reports a changed payload under a stored prediction id as a conflict (207)", async () => {
    const model = await freshModel("conflicting");
    const original = predictionRecord({
      prediction_id: "same-id",
      model: { id: "conflicting", version: "1" },
    });
    await postPredictions(harness.app, harness.token, { records: [original] });

    const changed = { ...original, prediction: { label: "legit", score: 0.2 } };
    const fresh = predictionRecord({ model: { id: "conflicting", version: "1" } });
    const response = await postPredictions(harness.app, harness.token, {
      records: [changed, fresh],
    });
    expect(response.statusCode).toBe(207);
    expect(response.json()).toMatchObject({
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          index: 0,
          prediction_id: "same-id",
          code: "conflict",
          message:
            'prediction_id "same-id" of model "conflicting" version "1" was already stored with a different payload',
        },
      ],
    });
    const rows = await storedRows(model.id);
    expect(rows.find((row) => row.predictionId === "same-id")?.prediction).toEqual(
      original.prediction,
    );
  });

  it("deduplicates repeats inside one batch", async () => {
    const model = await freshModel("repeats");
    const record = predictionRecord({ model: { id: "repeats", version: "1" } });
    const response = await postPredictions(harness.app, harness.token, {
      records: [record, record, { ...record, prediction: { score: 0.1 } }],
    });
    expect(response.statusCode).toBe(207);
    expect(response.json()).toMatchObject({
      accepted: 1,
      duplicates: 1,
      rejected: [{ index: 2, code: "conflict" }],
    });
    expect(await storedRows(model.id)).toHaveLength(1);
  });

  it("keeps rollups exact under concurrent requests", async () => {
    const model = await freshModel("concurrent");
    const timestamp = new Date(Date.now() - 60_000).toISOString();
    const shared = predictionRecord({
      prediction_id: "shared",
      timestamp,
      model: { id: "concurrent", version: "1" },
      prediction: { score: 0.5 },
    });
    const requests = Array.from({ length: 10 }, (_, request) =>
      postPredictions(harness.app, harness.token, {
        model: { id: "concurrent", version: "1" },
        records: [
          shared,
          ...Array.from({ length: 50 }, (_, n) =>
            predictionRecord({
              model: undefined,
              prediction_id: `r${request}-${n}`,
              timestamp,
              prediction: { score: 0.5 },
            }),
          ),
        ],
      }),
    );
    const responses = await Promise.all(requests);
    expect(responses.map((response) => response.statusCode)).toEqual(Array(10).fill(202));
    const accepted = responses.reduce(
      (sum, response) => sum + response.json<{ accepted: number }>().accepted,
      0,
    );
    expect(accepted).toBe(501);

    const rows = await rollups(model.id);
    const sum = (pick: (row: (typeof rows)[number]) => number) =>
      rows.reduce((total, row) => total + pick(row), 0);
    expect(sum((row) => row.count)).toBe(501);
    expect(sum((row) => row.duplicateCount)).toBe(9);
    expect(sum((row) => row.scoreSum)).toBeCloseTo(250.5, 6);
    expect(sum((row) => row.lowConfidenceCount)).toBe(501);
    expect(await storedRows(model.id)).toHaveLength(501);
  });
});

describe("POST /v1/predictions: per-record rejections", () => {
  it("rejects out-of-range timestamps, unknown models and versions, and bad records", async () => {
    const model = await freshModel("mixed");
    const day = 24 * 60 * 60 * 1000;
    const ref = (version = "1") => ({ id: "mixed", version });
    const response = await postPredictions(harness.app, harness.token, {
      records: [
        predictionRecord({ model: ref() }),
        predictionRecord({ model: ref(), timestamp: new Date(Date.now() + 2 * day).toISOString() }),
        predictionRecord({
          model: ref(),
          timestamp: new Date(Date.now() - 31 * day).toISOString(),
        }),
        predictionRecord({ model: { id: "no-such-model", version: "1" } }),
        predictionRecord({ model: ref("9") }),
        predictionRecord({ model: ref(), prediction: { score: 2 } }),
      ],
    });
    expect(response.statusCode).toBe(207);
    const body = response.json<{
      accepted: number;
      rejected: { code: string; message: string }[];
    }>();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((entry) => entry.code)).toEqual([
      "timestamp_out_of_range",
      "timestamp_out_of_range",
      "unknown_model",
      "unknown_version",
      "schema_violation",
    ]);
    expect(body.rejected[0]?.message).toMatch(/is more than 1 day in the future$/);
    expect(body.rejected[1]?.message).toMatch(/is older than the 30-day retention$/);
    expect(body.rejected[2]?.message).toBe(
      'model "no-such-model" is not registered in this project',
    );
    expect(body.rejected[3]?.message).toMatch(/^version "9" of model "mixed" is not registered/);
    expect(body.rejected[4]?.message).toBe("prediction.score: Too big: expected number to be <=1");
    expect(await storedRows(model.id)).toHaveLength(1);
  });

  it("answers 400 when no record is accepted", async () => {
    const response = await postPredictions(harness.app, harness.token, {
      records: [predictionRecord({ model: { id: "no-such-model", version: "1" } })],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ accepted: 0, rejected: [{ code: "unknown_model" }] });
  });

  it("never lets a key of one project write another project's model", async () => {
    const other = await createProject(harness.db);
    const foreign = await createModel(harness.db, { projectId: other.id, slug: "foreign-model" });
    await createModelVersion(harness.db, { modelId: foreign.id, version: "1" });
    const response = await postPredictions(harness.app, harness.token, {
      records: [predictionRecord({ model: { id: "foreign-model", version: "1" } })],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ rejected: [{ code: "unknown_model" }] });
    expect(await storedRows(foreign.id)).toHaveLength(0);
    expect(await storedKeys(foreign.id)).toHaveLength(0);
  });

  it("enforces the key's model allow-list per record, and 403 when nothing is allowed", async () => {
    const allowed = await freshModel("allowed-model");
    await freshModel("denied-model");
    const { token } = await createKey(harness.db, harness.project.id, {
      modelAllowList: ["allowed-model"],
    });
    const mixed = await postPredictions(harness.app, token, {
      records: [
        predictionRecord({ model: { id: "allowed-model", version: "1" } }),
        predictionRecord({ model: { id: "denied-model", version: "1" } }),
      ],
    });
    expect(mixed.statusCode).toBe(207);
    expect(mixed.json()).toMatchObject({
      accepted: 1,
      rejected: [
        {
          index: 1,
          code: "forbidden_model",
          message: 'this API key may not write model "denied-model"',
        },
      ],
    });
    expect(await storedRows(allowed.id)).toHaveLength(1);

    const denied = await postPredictions(harness.app, token, {
      records: [predictionRecord({ model: { id: "denied-model", version: "1" } })],
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({
      error: "forbidden",
      message: 'This API key may not write model "denied-model"',
    });
  });
});

describe("POST /v1/predictions: rejected requests", () => {
  const unauthorized = {
    error: "unauthorized",
    message:
      "Missing or invalid API key: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`",
  };

  it("answers 401 with one message for missing, malformed, unknown, revoked and expired keys", async () => {
    const revoked = await createKey(harness.db, harness.project.id);
    await revokeApiKey(
      harness.db,
      { projectId: harness.project.id, apiKeyId: revoked.key.id },
      { type: "system" },
    );
    const expired = await createKey(harness.db, harness.project.id, {
      expiresAt: new Date(Date.now() - 1000),
    });
    const wrongSecret = `${harness.token.slice(0, -4)}AAAA`;
    const body = { records: [predictionRecord()] };
    for (const token of [null, "not-a-key", wrongSecret, revoked.token, expired.token]) {
      const response = await postPredictions(harness.app, token, body);
      expect(response.statusCode, String(token)).toBe(401);
      expect(response.json()).toEqual(unauthorized);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
  });

  it("answers 403 when the key lacks predictions:write", async () => {
    const { token } = await createKey(harness.db, harness.project.id, { scopes: ["labels:write"] });
    const response = await postPredictions(harness.app, token, { records: [predictionRecord()] });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: "forbidden",
      message: 'This API key lacks the "predictions:write" scope',
    });
  });

  it("answers 400 naming the problem in malformed JSON", async () => {
    const response = await postPredictions(harness.app, harness.token, '{"records": [');
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; message: string }>();
    expect(body.error).toBe("invalid_json");
    expect(body.message).toMatch(/^Request body is not valid JSON: .*JSON/);

    const empty = await postPredictions(harness.app, harness.token, "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: "invalid_json", message: /empty/ });
  });

  it("refuses __proto__ keys", async () => {
    const response = await postPredictions(
      harness.app,
      harness.token,
      '{"records": [], "__proto__": {"polluted": true}}',
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: "invalid_json", message: /__proto__/ });
  });

  it("answers 400 with the issue paths when the batch itself is malformed", async () => {
    const response = await postPredictions(harness.app, harness.token, {
      model: { id: "Bad Slug", version: "1" },
      records: [],
    });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; issues: { path: string }[] }>();
    expect(body.error).toBe("schema_violation");
    expect(body.issues.map((issue) => issue.path)).toEqual(["model.id", "records"]);

    const tooMany = await postPredictions(harness.app, harness.token, {
      records: Array.from({ length: 1001 }, () => ({})),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      message: "The batch is malformed: records: must hold 1 to 1000 records",
    });
  });

  it("answers 415 for other content types and 413 for oversized bodies", async () => {
    const text = await postPredictions(harness.app, harness.token, "{}", {
      "content-type": "text/plain",
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: "unsupported_media_type" });

    const big = await postPredictions(harness.app, harness.token, {
      records: [predictionRecord({ metadata: { blob: "x".repeat(6 * 1024 * 1024) } })],
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("answers 401 before reading the body", async () => {
    const response = await postPredictions(harness.app, null, "not even json");
    expect(response.statusCode).toBe(401);
  });
});

describe("POST /v1/predictions: nothing half-written", () => {
  it("rolls the whole request back when a write fails mid-transaction", async () => {
    const model = await freshModel("half-written");
    // Make the rollup upsert, the last write of the transaction, fail for shadow traffic.
    await harness.sql`alter table prediction_rollups_minute
      add constraint test_no_shadow check (deployment <> 'shadow')`;
    try {
      const response = await postPredictions(harness.app, harness.token, {
        model: { id: "half-written", version: "1", deployment: "shadow" },
        records: [predictionRecord({ model: undefined }), predictionRecord({ model: undefined })],
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: "internal_error",
        message: "Internal error; nothing was stored",
      });
    } finally {
      await harness.sql`alter table prediction_rollups_minute drop constraint test_no_shadow`;
    }
    expect(await storedRows(model.id)).toHaveLength(0);
    expect(await storedKeys(model.id)).toHaveLength(0);
    expect(await rollups(model.id)).toHaveLength(0);
  });
});
