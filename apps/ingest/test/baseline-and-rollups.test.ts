import { verifyAuditChain } from "@plumbline/db/audit";
import {
  auditLog,
  featureBinRollupsMinute,
  predictionRollupsMinute,
  referenceProfiles,
  segmentRollupsMinute,
} from "@plumbline/db/schema";
import { and, eq } from "drizzle-orm";
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
let baselineToken: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  baselineToken = (await createKey(harness.db, harness.project.id, { scopes: ["baselines:write"] }))
    .token;
});

afterAll(async () => {
  await harness.close();
});

/** 100 reference rows: amount 1..100, country from a fixed cycle, prediction and score. */
function referenceCsv(): string {
  const countries = ["FR", "DE", "FR", "ES"];
  const lines = ["amount,country,prediction,score"];
  for (let i = 1; i <= 100; i += 1) {
    lines.push(
      `${i},"${countries[i % 4]}",${i % 3 === 0 ? "fraud" : "legit"},${(i / 100).toFixed(2)}`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

describe("POST /v1/models/{model_id}/versions/{version}/baseline", () => {
  it("builds and stores a profile per feature, for the prediction and the score (CSV)", async () => {
    const model = await createFreshModel(harness, "baseline-csv", {
      featureSchema: { amount: { type: "numeric" }, country: { type: "categorical" } },
    });
    const response = await postRaw(
      harness.app,
      "/v1/models/baseline-csv/versions/1/baseline",
      baselineToken,
      referenceCsv(),
      {
        "content-type": "text/csv",
      },
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      model_id: "baseline-csv",
      version: "1",
      revision: 1,
      rows: 100,
      profiles: [
        { target: "feature", name: "amount", kind: "numeric", n: 100, bins: 10 },
        { target: "feature", name: "country", kind: "categorical", n: 100, bins: 4 },
        { target: "prediction", name: "prediction", kind: "categorical", n: 100, bins: 3 },
        { target: "score", name: "score", kind: "numeric", n: 100 },
      ],
    });
    const stored = await harness.db
      .select()
      .from(referenceProfiles)
      .where(eq(referenceProfiles.modelId, model.id));
    expect(stored).toHaveLength(4);
    // Audited like an upload through the web app, by the key, with the same writer.
    const audited = await harness.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "reference.created"), eq(auditLog.resourceId, "baseline-csv@1")),
      );
    expect(audited).toMatchObject([
      {
        actorType: "api_key",
        projectId: harness.project.id,
        after: { revision: 1, source: "api", rows: 100 },
      },
    ]);
    expect(await verifyAuditChain(harness.db, harness.project.id)).toMatchObject({ ok: true });
    // A second upload replaces the baseline with the next revision.
    const again = await postRaw(
      harness.app,
      "/v1/models/baseline-csv/versions/1/baseline",
      baselineToken,
      JSON.stringify([
        { amount: 1, country: "FR" },
        { amount: 2, country: "DE" },
      ]),
      {
        "content-type": "application/json",
      },
    );
    expect(again.json()).toMatchObject({ revision: 2, rows: 2 });
    // The same dataset again (a restarted job) keeps the revision: its drift history stays.
    const same = await postRaw(
      harness.app,
      "/v1/models/baseline-csv/versions/1/baseline",
      baselineToken,
      JSON.stringify([
        { country: "FR", amount: 1 },
        { country: "DE", amount: 2 },
      ]),
      { "content-type": "application/json" },
    );
    expect(same.json()).toMatchObject({ revision: 2, rows: 2 });
  });

  it("needs baselines:write and a registered version, and names a malformed dataset", async () => {
    const csv = { "content-type": "text/csv" };
    expect(
      (
        await postRaw(
          harness.app,
          "/v1/models/fraud-detector/versions/1/baseline",
          harness.token,
          "a\n1\n",
          csv,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await postRaw(
          harness.app,
          "/v1/models/fraud-detector/versions/9/baseline",
          baselineToken,
          "a\n1\n",
          csv,
        )
      ).statusCode,
    ).toBe(404);
    const ragged = await postRaw(
      harness.app,
      "/v1/models/fraud-detector/versions/1/baseline",
      baselineToken,
      "a,b\n1\n",
      csv,
    );
    expect(ragged.statusCode).toBe(400);
    expect(ragged.json()).toMatchObject({
      message: expect.stringMatching(/row 1 has 1 fields, the header has 2/) as string,
    });
  });
});

describe("rollups against the reference profile", () => {
  it("counts bins, missing, out-of-range and unseen values, segments and histograms", async () => {
    const model = await createFreshModel(harness, "binned", {
      featureSchema: { amount: { type: "numeric" }, country: { type: "categorical" } },
    });
    await postRaw(
      harness.app,
      "/v1/models/binned/versions/1/baseline",
      baselineToken,
      referenceCsv(),
      { "content-type": "text/csv" },
    );
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
    const at = minute.toISOString();
    const record = (
      features: Record<string, unknown>,
      score: number,
      segments = { region: "eu" },
    ) =>
      predictionRecord({
        model: { id: "binned", version: "1" },
        timestamp: at,
        features,
        prediction: { label: "fraud", score },
        segments,
        latency_ms: 7,
      });
    const response = await postPredictions(harness.app, harness.token, {
      records: [
        record({ amount: 5, country: "FR" }, 0.05),
        record({ amount: 500, country: "JP" }, 0.95),
        record({ country: "DE", extra: 1 }, 1),
        record({ amount: "lots", country: "ES" }, 0.5, { region: "us" }),
      ],
    });
    expect(response.statusCode).toBe(202);
    expect(response.json<{ warnings: { code: string; message: string }[] }>().warnings).toEqual([
      expect.objectContaining({
        code: "unknown_feature",
        message: expect.stringContaining('"extra"') as string,
      }) as object,
      expect.objectContaining({
        code: "type_mismatch",
        message: expect.stringContaining('"amount" should be numeric, got a string') as string,
      }) as object,
    ]);

    const bins = await harness.db
      .select()
      .from(featureBinRollupsMinute)
      .where(eq(featureBinRollupsMinute.modelId, model.id));
    const amount = bins.find((row) => row.name === "amount")!;
    expect(amount).toMatchObject({
      missing: 1,
      outOfRange: 1,
      typeMismatch: 1,
      profileRevision: 1,
    });
    expect(amount.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(amount.counts[0]).toBe(1); // 5 < the first decile edge (10)
    expect(amount.counts.at(-1)).toBe(1); // 500 in the last, open-ended bin
    const country = bins.find((row) => row.name === "country")!;
    expect(country).toMatchObject({ unseen: 1, missing: 0 });
    expect(country.counts.at(-1)).toBe(1); // JP in the out-of-vocabulary bin
    const prediction = bins.find((row) => row.target === "prediction")!;
    expect(prediction.counts.reduce((a, b) => a + b, 0)).toBe(4);

    const [rollup] = await harness.db
      .select()
      .from(predictionRollupsMinute)
      .where(eq(predictionRollupsMinute.modelId, model.id));
    expect(rollup).toMatchObject({
      count: 4,
      unknownFeatureCount: 1,
      typeMismatchCount: 1,
      lowConfidenceCount: 2,
    });
    expect(rollup?.scoreHistogram).toHaveLength(20);
    expect([
      rollup?.scoreHistogram[1],
      rollup?.scoreHistogram[10],
      rollup?.scoreHistogram[19],
    ]).toEqual([1, 1, 2]);
    expect(rollup?.latencyHistogram[3]).toBe(4);
    const segments = await harness.db
      .select()
      .from(segmentRollupsMinute)
      .where(
        and(eq(segmentRollupsMinute.modelId, model.id), eq(segmentRollupsMinute.segment, "region")),
      );
    expect(Object.fromEntries(segments.map((row) => [row.value, row.count]))).toEqual({
      eu: 3,
      us: 1,
    });
  });

  it("stays exact under concurrent requests (histograms and bins added element-wise)", async () => {
    const model = await createFreshModel(harness, "binned-concurrent", {
      featureSchema: { amount: { type: "numeric" }, country: { type: "categorical" } },
    });
    await postRaw(
      harness.app,
      "/v1/models/binned-concurrent/versions/1/baseline",
      baselineToken,
      referenceCsv(),
      { "content-type": "text/csv" },
    );
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 180_000).toISOString();
    const batches = Array.from({ length: 12 }, (_, b) => ({
      records: Array.from({ length: 50 }, (_, i) =>
        predictionRecord({
          model: { id: "binned-concurrent", version: "1" },
          timestamp: at,
          features: { amount: (b * 50 + i) % 120, country: ["FR", "DE", "XX"][i % 3] },
          prediction: { label: "legit", score: ((b * 50 + i) % 100) / 100 },
          segments: { shard: `s${b % 3}` },
        }),
      ),
    }));
    const responses = await Promise.all(
      batches.map((batch) => postPredictions(harness.app, harness.token, batch)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(batches.map(() => 202));
    const [rollup] = await harness.db
      .select()
      .from(predictionRollupsMinute)
      .where(eq(predictionRollupsMinute.modelId, model.id));
    expect(rollup?.count).toBe(600);
    expect(rollup?.scoreHistogram.reduce((a, b) => a + b, 0)).toBe(600);
    expect(rollup?.scoreHistogram.every((n) => n === 30)).toBe(true);
    const bins = await harness.db
      .select()
      .from(featureBinRollupsMinute)
      .where(eq(featureBinRollupsMinute.modelId, model.id));
    const amount = bins.find((row) => row.name === "amount")!;
    expect(amount.counts.reduce((a, b) => a + b, 0)).toBe(600);
    // 0..119, five times each: 0 lies below the reference minimum (1), 101..119 above its maximum.
    expect(amount.outOfRange).toBe(5 * 1 + 5 * 19);
    const country = bins.find((row) => row.name === "country")!;
    expect(country.unseen).toBe(12 * 16); // "XX" at i = 2, 5, ..., 47 of each batch
  });
});
