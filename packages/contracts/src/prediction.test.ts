import { describe, expect, it } from "vitest";

import { summarizeIssues } from "./issues";
import {
  applyBatchDefaults,
  parsePredictionBatch,
  PredictionBatch,
  PredictionRecord,
  resolvePredictionBatch,
} from "./prediction";

const validRecord = {
  prediction_id: "req-1",
  model: { id: "fraud-detector", version: "3" },
  timestamp: "2024-06-01T12:00:00Z",
  features: { amount: 12.5, country: "FR", flagged: false, embedding: [0.1, 0.2], note: null },
  prediction: { label: "fraud", score: 0.91 },
};

function recordMessage(record: unknown): string {
  const result = PredictionRecord.safeParse(record);
  if (result.success) throw new Error("expected the record to be rejected");
  return summarizeIssues(result.error.issues);
}

describe("PredictionRecord", () => {
  it("accepts a valid record and fills the documented defaults", () => {
    const record = PredictionRecord.parse(validRecord);
    expect(record.model).toEqual({
      id: "fraud-detector",
      version: "3",
      deployment: "stable",
      environment: "production",
    });
    expect(record.status).toBe("ok");
  });

  it("defaults features to an empty object", () => {
    const { features: _features, ...withoutFeatures } = validRecord;
    expect(PredictionRecord.parse(withoutFeatures).features).toEqual({});
  });

  it.each([
    ["2024-06-01T12:00:00Z", true],
    ["2024-06-01T12:00:00.123456789Z", true],
    ["2024-06-01T14:00:00+02:00", true],
    ["2024-06-01 12:00:00Z", false],
    ["2024-06-01T12:00:00", false],
    ["2024-06-01", false],
  ])("timestamp %s is valid: %s", (timestamp, valid) => {
    expect(PredictionRecord.safeParse({ ...validRecord, timestamp }).success).toBe(valid);
  });

  it("names the field of a score outside 0..1", () => {
    expect(recordMessage({ ...validRecord, prediction: { score: 1.5 } })).toBe(
      "prediction.score: Too big: expected number to be <=1",
    );
  });

  it("says a missing required field is required", () => {
    const { prediction_id: _id, timestamp: _ts, ...rest } = validRecord;
    expect(recordMessage(rest)).toBe("prediction_id: is required; timestamp: is required");
  });

  it("explains a bad timestamp", () => {
    expect(recordMessage({ ...validRecord, timestamp: "yesterday" })).toContain(
      "timestamp: must be an RFC 3339 date-time with a time zone",
    );
  });

  it("rejects an empty prediction object", () => {
    expect(recordMessage({ ...validRecord, prediction: {} })).toBe(
      "prediction: must contain at least one of label, value, score, scores, values",
    );
  });

  it("names an invalid feature name and says why", () => {
    expect(recordMessage({ ...validRecord, features: { "9lives": 1 } })).toMatch(
      /^features\["9lives"\]: key must start with a letter or underscore/,
    );
  });

  it("rejects nested objects as feature values", () => {
    expect(recordMessage({ ...validRecord, features: { address: { city: "Lyon" } } })).toBe(
      "features.address: must be a string, number, boolean, null, or an array of those",
    );
  });

  it("rejects an unknown top-level field instead of dropping it silently", () => {
    expect(recordMessage({ ...validRecord, feature: {} })).toBe('Unrecognized key: "feature"');
  });

  it("checks model slugs, deployments and environments", () => {
    expect(recordMessage({ ...validRecord, model: { id: "Fraud", version: "1" } })).toMatch(
      /^model\.id: must be a lowercase slug/,
    );
    expect(
      recordMessage({ ...validRecord, model: { id: "m", version: "1", deployment: "blue" } }),
    ).toMatch(/^model\.deployment: Invalid option: expected one of "stable"\|"canary"/);
  });

  it("limits segments to 32 keys of scalar values", () => {
    const segments = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`s${i}`, "x"]));
    expect(recordMessage({ ...validRecord, segments })).toBe(
      "segments: must have at most 32 segments",
    );
    expect(recordMessage({ ...validRecord, segments: { region: [1] } })).toMatch(
      /^segments\.region/,
    );
  });

  it("accepts prediction ids of printable ASCII only", () => {
    expect(PredictionRecord.safeParse({ ...validRecord, prediction_id: "a b~!" }).success).toBe(
      true,
    );
    expect(recordMessage({ ...validRecord, prediction_id: "é" })).toBe(
      "prediction_id: must be 1 to 512 printable ASCII characters",
    );
    expect(recordMessage({ ...validRecord, prediction_id: "x".repeat(513) })).toBe(
      "prediction_id: must be 1 to 512 printable ASCII characters",
    );
  });

  it("rejects NUL characters, which PostgreSQL cannot store, naming where they are", () => {
    expect(recordMessage({ ...validRecord, features: { note: "a\u0000b" } })).toBe(
      "features.note: contains a NUL character (\\u0000), which cannot be stored",
    );
    expect(recordMessage({ ...validRecord, metadata: { tags: ["ok", { "k\u0000": 1 }] } })).toMatch(
      /^metadata\.tags\[1\]\["k\\u0000"\]: contains a NUL character/,
    );
  });

  it("rejects a negative latency and an unknown status", () => {
    expect(recordMessage({ ...validRecord, latency_ms: -1, status: "failed" })).toMatch(
      /^latency_ms: Too small.*; status: Invalid option/,
    );
  });
});

describe("applyBatchDefaults", () => {
  const batch = {
    model: {
      id: "m",
      version: "1",
      deployment: "canary" as const,
      environment: "staging" as const,
    },
    defaults: { segments: { region: "eu", tier: "gold" }, metadata: { source: "batch" } },
  };

  it("fills the model and merges defaults, the record's own keys winning", () => {
    const merged = applyBatchDefaults(batch, {
      prediction_id: "p",
      segments: { tier: "silver" },
    });
    expect(merged).toEqual({
      prediction_id: "p",
      model: batch.model,
      segments: { region: "eu", tier: "silver" },
      metadata: { source: "batch" },
    });
  });

  it("keeps the record's model whole instead of mixing it with the batch's", () => {
    const own = { id: "other", version: "2" };
    expect(applyBatchDefaults(batch, { model: own })).toMatchObject({ model: own });
  });

  it("leaves a malformed record or field for the schema to report", () => {
    expect(applyBatchDefaults(batch, "nope")).toBe("nope");
    expect(applyBatchDefaults(batch, { segments: "x" })).toMatchObject({ segments: "x" });
  });
});

describe("parsePredictionBatch", () => {
  it("fails as a whole when records is missing or empty", () => {
    const missing = parsePredictionBatch({});
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(summarizeIssues(missing.issues)).toBe("records: is required");

    const empty = parsePredictionBatch({ records: [] });
    if (empty.ok) throw new Error("expected failure");
    expect(summarizeIssues(empty.issues)).toBe("records: must hold 1 to 1000 records");
  });

  it("refuses more than 1000 records", () => {
    const result = parsePredictionBatch({ records: Array.from({ length: 1001 }, () => ({})) });
    if (result.ok) throw new Error("expected failure");
    expect(summarizeIssues(result.issues)).toBe("records: must hold 1 to 1000 records");
  });

  it("validates each record on its own and keeps its index and prediction id", () => {
    const result = parsePredictionBatch({
      model: { id: "m", version: "1" },
      records: [
        { ...validRecord, model: undefined },
        { prediction_id: "bad", timestamp: "nope", prediction: { score: 0.5 } },
        42,
      ],
    });
    if (!result.ok) throw new Error("expected the envelope to parse");
    const [first, second, third] = result.records;
    expect(first).toMatchObject({ ok: true, record: { model: { id: "m", version: "1" } } });
    expect(second).toMatchObject({ index: 1, ok: false, predictionId: "bad" });
    expect(third).toMatchObject({ index: 2, ok: false, predictionId: null });
    if (third?.ok === false) {
      expect(summarizeIssues(third.issues)).toBe("must be a prediction record (a JSON object)");
    }
  });

  it("asks for a model when neither the record nor the batch has one", () => {
    const result = parsePredictionBatch({
      records: [
        { prediction_id: "p", timestamp: "2024-06-01T00:00:00Z", prediction: { value: 1 } },
      ],
    });
    if (!result.ok) throw new Error("expected the envelope to parse");
    const [record] = result.records;
    if (!record || record.ok) throw new Error("expected the record to be rejected");
    expect(summarizeIssues(record.issues)).toBe(
      "model: is required (on the record, or once for the batch)",
    );
  });
});

describe("PredictionBatch", () => {
  it("requires a model on every record when the batch has none", () => {
    const { model: _model, ...withoutModel } = validRecord;
    const result = PredictionBatch.safeParse({ records: [validRecord, withoutModel] });
    if (result.success) throw new Error("expected failure");
    expect(summarizeIssues(result.error.issues)).toBe(
      "records[1].model: is required when the batch has no model",
    );
  });

  it("resolves records with the batch's model and defaults", () => {
    const { model: _model, ...withoutModel } = validRecord;
    const batch = PredictionBatch.parse({
      model: { id: "m", version: "1" },
      defaults: { segments: { region: "eu" } },
      records: [withoutModel, validRecord],
    });
    const [first, second] = resolvePredictionBatch(batch);
    expect(first?.model.id).toBe("m");
    expect(first?.segments).toEqual({ region: "eu" });
    expect(second?.model.id).toBe("fraud-detector");
  });
});
