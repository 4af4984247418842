import { gzipSync } from "node:zlib";

import { predictionKeys, predictions } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createFreshModel,
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

async function rowCount(modelId: string) {
  return (await harness.db.select().from(predictions).where(eq(predictions.modelId, modelId)))
    .length;
}

describe("POST /v1/predictions: NDJSON and gzip", () => {
  it("accepts NDJSON, one record per line, and rejects a bad line alone", async () => {
    const model = await createFreshModel(harness, "ndjson-model");
    const model1 = { id: "ndjson-model", version: "1" };
    const lines = [
      JSON.stringify(predictionRecord({ model: model1 })),
      "",
      "{not json",
      JSON.stringify(predictionRecord({ model: model1 })),
    ].join("\n");
    const response = await postRaw(harness.app, "/v1/predictions", harness.token, lines, {
      "content-type": "application/x-ndjson",
    });
    expect(response.statusCode).toBe(207);
    const body = response.json<{
      accepted: number;
      rejected: { index: number; code: string; message: string }[];
    }>();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      expect.objectContaining({
        index: 1,
        code: "schema_violation",
        message: expect.stringMatching(/line 3 is not valid JSON/) as string,
      }) as object,
    ]);
    expect(await rowCount(model.id)).toBe(2);
  });

  it("inflates gzip bodies, JSON and NDJSON", async () => {
    const model = await createFreshModel(harness, "gzip-model");
    const record = () => predictionRecord({ model: { id: "gzip-model", version: "1" } });
    const json = await postRaw(
      harness.app,
      "/v1/predictions",
      harness.token,
      gzipSync(JSON.stringify({ records: [record(), record()] })),
      {
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
    );
    expect(json.statusCode).toBe(202);
    const ndjson = await postRaw(
      harness.app,
      "/v1/predictions",
      harness.token,
      gzipSync(`${JSON.stringify(record())}\n`),
      {
        "content-type": "application/x-ndjson",
        "content-encoding": "gzip",
      },
    );
    expect(ndjson.statusCode).toBe(202);
    expect(await rowCount(model.id)).toBe(3);
  });

  it("answers 400 naming a truncated gzip stream", async () => {
    const full = gzipSync(JSON.stringify({ records: [predictionRecord()] }));
    const response = await postRaw(
      harness.app,
      "/v1/predictions",
      harness.token,
      full.subarray(0, full.length - 10),
      {
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: "invalid_gzip",
      message: expect.stringMatching(/truncated/) as string,
    });
  });

  it("answers 400 for bytes that are not gzip at all, and 415 for other encodings", async () => {
    const notGzip = await postRaw(harness.app, "/v1/predictions", harness.token, "hello", {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(notGzip.statusCode).toBe(400);
    expect(notGzip.json()).toMatchObject({ error: "invalid_gzip" });
    const brotli = await postRaw(harness.app, "/v1/predictions", harness.token, "{}", {
      "content-type": "application/json",
      "content-encoding": "br",
    });
    expect(brotli.statusCode).toBe(415);
    expect(brotli.json()).toMatchObject({ error: "unsupported_encoding" });
  });

  it("answers 413 to a zip bomb without inflating it all", async () => {
    // 64 MiB of zeros compress to about 64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const started = Date.now();
    const response = await postRaw(harness.app, "/v1/predictions", harness.token, bomb, {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: "payload_too_large" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("answers 400 to invalid UTF-8 instead of storing replacement characters", async () => {
    const text = Buffer.from(
      JSON.stringify({ records: [predictionRecord({ features: { city: "PLACEHOLDER" } })] }),
    );
    const at = text.indexOf("PLACEHOLDER");
    text[at] = 0xff;
    text[at + 1] = 0xfe;
    const response = await postRaw(harness.app, "/v1/predictions", harness.token, text, {
      "content-type": "application/json",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: "invalid_json",
      message: "Request body is not valid UTF-8",
    });
  });
});

describe("Idempotency-Key", () => {
  it("replays the stored answer for the same body and answers 409 for another", async () => {
    const model = await createFreshModel(harness, "idempotent-model");
    const batch = {
      records: [predictionRecord({ model: { id: "idempotent-model", version: "1" } })],
    };
    const headers = { "idempotency-key": "request-0001" };
    const first = await postPredictions(harness.app, harness.token, batch, headers);
    expect(first.statusCode).toBe(202);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const again = await postPredictions(harness.app, harness.token, batch, headers);
    expect(again.statusCode).toBe(202);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    // The replay is the first answer (accepted: 1), not a fresh "duplicates: 1".
    expect(again.json()).toEqual(first.json());
    const other = await postPredictions(
      harness.app,
      harness.token,
      { records: [predictionRecord({ model: { id: "idempotent-model", version: "1" } })] },
      headers,
    );
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ error: "idempotency_conflict" });
    expect(await rowCount(model.id)).toBe(1);
  });

  it("writes once when requests with one key race each other", async () => {
    const model = await createFreshModel(harness, "idempotent-race");
    const batch = {
      records: Array.from({ length: 50 }, () =>
        predictionRecord({ model: { id: "idempotent-race", version: "1" } }),
      ),
    };
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        postPredictions(harness.app, harness.token, batch, { "idempotency-key": "race-key" }),
      ),
    );
    for (const response of responses) {
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({ accepted: 50, duplicates: 0 });
    }
    expect(await rowCount(model.id)).toBe(50);
    const keys = await harness.db
      .select()
      .from(predictionKeys)
      .where(eq(predictionKeys.modelId, model.id));
    expect(keys).toHaveLength(50);
  });

  it("refuses an Idempotency-Key that is not printable ASCII", async () => {
    const response = await postPredictions(
      harness.app,
      harness.token,
      { records: [predictionRecord()] },
      {
        "idempotency-key": "x".repeat(300),
      },
    );
    expect(response.statusCode).toBe(400);
  });
});
