import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createKey, postRaw, startIngestHarness, type IngestHarness } from "./harness";

let harness: IngestHarness;
let token: string;

beforeAll(async () => {
  harness = await startIngestHarness({ bodyLimitBytes: 2_000, baselineBodyLimitBytes: 8_000 });
  token = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write", "labels:write", "baselines:write"],
    })
  ).token;
});

afterAll(async () => {
  await harness.close();
});

function post(url: string, payload: Buffer | string, headers: Record<string, string> = {}) {
  return postRaw(harness.app, url, token, payload, {
    "content-type": "application/json",
    ...headers,
  });
}

const padded = (bytes: number) => JSON.stringify({ records: [{ pad: "x".repeat(bytes) }] });

describe("413 answers name the limit of the route that refused the body", () => {
  it("says the ingest limit on batch routes and the baseline limit on the baseline route", async () => {
    for (const url of ["/v1/predictions", "/v1/labels"]) {
      const response = await post(url, padded(3_000));
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({
        error: "payload_too_large",
        message: "Request body is larger than 2000 bytes; split the batch",
      });
    }
    const baseline = await post("/v1/models/fraud-detector/versions/1/baseline", padded(10_000));
    expect(baseline.statusCode).toBe(413);
    expect(baseline.json()).toEqual({
      error: "payload_too_large",
      message: "Request body is larger than 8000 bytes; split the batch",
    });
    // Over the ingest limit but under its own, the baseline route takes the dataset.
    const fits = await post("/v1/models/fraud-detector/versions/1/baseline", padded(3_000));
    expect(fits.statusCode, fits.body).toBe(201);
  });

  it("says the route's limit for a gzip body too large once decompressed", async () => {
    const response = await post("/v1/predictions", gzipSync(padded(3_000)), {
      "content-encoding": "gzip",
    });
    expect(response.statusCode).toBe(413);
    expect(response.json<{ message: string }>().message).toContain("2000 bytes");
  });
});
