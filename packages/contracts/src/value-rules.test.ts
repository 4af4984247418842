import { describe, expect, it } from "vitest";

import { summarizeIssues } from "./issues";
import { LabelRecord } from "./label";
import { PredictionRecord } from "./prediction";
import {
  DEPTH_MESSAGE,
  escapeUnstorableText,
  FLOAT4_MESSAGE,
  Float4,
  Float8,
  findUnstorableValue,
  Int4,
  INT4_MESSAGE,
  isStorableFloat4,
  LONE_SURROGATE_MESSAGE,
  MAX_JSON_DEPTH,
  NUL_MESSAGE,
  StorableText,
  textProblem,
} from "./value-rules";

const FLOAT4_MAX = 3.4028234663852886e38;

describe("isStorableFloat4 (PostgreSQL real)", () => {
  it.each([0, -0, 1, -1, 12.5, FLOAT4_MAX, -FLOAT4_MAX, 1.1754943508222875e-38, 1.4e-45])(
    "accepts %s",
    (value) => expect(isStorableFloat4(value)).toBe(true),
  );

  // 1e-50 and 1e-46 round to zero in single precision: PostgreSQL answers "underflow".
  it.each([1e39, 3.5e38, 1e308, -1e39, 1e-50, -1e-50, 1e-46, Infinity, -Infinity, NaN])(
    "refuses %s",
    (value) => expect(isStorableFloat4(value)).toBe(false),
  );

  it("gives the type rule's message through the zod schema", () => {
    expect(Float4.safeParse(1e39).error?.issues[0]?.message).toBe(FLOAT4_MESSAGE);
    expect(Float4.safeParse(Infinity).error?.issues[0]?.message).toBe(FLOAT4_MESSAGE);
    expect(Float4.safeParse("1").error?.issues[0]?.message).toBe("must be a number");
    expect(Float8.safeParse(1e308).success).toBe(true);
    expect(Float8.safeParse(-Infinity).success).toBe(false);
  });
});

describe("Int4 (PostgreSQL integer)", () => {
  it("takes the integer range and nothing past it", () => {
    expect(Int4.safeParse(2_147_483_647).success).toBe(true);
    expect(Int4.safeParse(-2_147_483_648).success).toBe(true);
    expect(Int4.safeParse(2_147_483_648).error?.issues[0]?.message).toBe(INT4_MESSAGE);
    expect(Int4.safeParse(3_000_000_000).error?.issues[0]?.message).toBe(INT4_MESSAGE);
    expect(Int4.safeParse(-2_147_483_649).error?.issues[0]?.message).toBe(INT4_MESSAGE);
  });
});

describe("text rules", () => {
  it("refuses NUL and lone surrogates, keeps valid pairs and other characters", () => {
    expect(textProblem("plain")).toBeNull();
    expect(textProblem("emoji 😀 and é")).toBeNull();
    expect(textProblem("a\u0000b")).toBe(NUL_MESSAGE);
    expect(textProblem("ab\ud800cd")).toBe(LONE_SURROGATE_MESSAGE);
    expect(textProblem("ab\udc00")).toBe(LONE_SURROGATE_MESSAGE);
    expect(textProblem("\ude00\ud83d")).toBe(LONE_SURROGATE_MESSAGE);
    expect(StorableText.safeParse("ab\ud800cd").success).toBe(false);
    expect(StorableText.safeParse("😀").success).toBe(true);
  });
});

describe("escapeUnstorableText (for echoes of client input in answers)", () => {
  it("writes NUL and lone surrogates as escapes and leaves the rest, pairs included", () => {
    expect(escapeUnstorableText("plain 😀")).toBe("plain 😀");
    expect(escapeUnstorableText("a\u0000b\ud800c\udfff")).toBe("a\\u0000b\\ud800c\\udfff");
    expect(escapeUnstorableText("\ud83d\ude00\ud83d")).toBe("😀\\ud83d");
    expect(textProblem(escapeUnstorableText("x\udc00\u0000"))).toBeNull();
  });
});

describe("findUnstorableValue", () => {
  it("names the path of the first problem, keys included", () => {
    expect(findUnstorableValue({ a: [1, "ok"], b: { c: true, d: null } })).toBeNull();
    expect(findUnstorableValue({ a: [1, { b: "x\u0000" }] })).toEqual({
      path: ["a", 1, "b"],
      message: NUL_MESSAGE,
    });
    expect(findUnstorableValue({ tags: { "k\ud800": 1 } })).toEqual({
      path: ["tags", "k\ud800"],
      message: LONE_SURROGATE_MESSAGE,
    });
    expect(findUnstorableValue({ x: [Infinity] })?.path).toEqual(["x", 0]);
  });

  it("bounds the depth without recursion, even thousands of levels deep", () => {
    const nested = (depth: number) =>
      JSON.parse(`${"[".repeat(depth)}1${"]".repeat(depth)}`) as unknown;
    expect(findUnstorableValue(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(findUnstorableValue(nested(MAX_JSON_DEPTH + 1))?.message).toBe(DEPTH_MESSAGE);
    expect(findUnstorableValue(nested(100_000))?.message).toBe(DEPTH_MESSAGE);
  });
});

const record = {
  prediction_id: "p-1",
  model: { id: "fraud-detector", version: "1" },
  timestamp: "2024-06-01T12:00:00Z",
  features: { amount: 12.5 },
  prediction: { label: "fraud", score: 0.9 },
};

function predictionMessage(input: unknown): string | null {
  const parsed = PredictionRecord.safeParse(input);
  return parsed.success ? null : summarizeIssues(parsed.error.issues);
}

describe("the rules in the prediction and label contracts", () => {
  it("names the field of each unstorable value of a prediction", () => {
    for (const latency of [1e39, 3.5e38, 1e308, 1e-50]) {
      expect(predictionMessage({ ...record, latency_ms: latency })).toBe(
        `latency_ms: ${FLOAT4_MESSAGE}`,
      );
    }
    expect(predictionMessage({ ...record, latency_ms: 3e38 })).toBeNull();
    expect(predictionMessage({ ...record, features: { city: "ab\ud800cd" } })).toBe(
      `features.city: ${LONE_SURROGATE_MESSAGE}`,
    );
    expect(predictionMessage({ ...record, segments: { region: "ab\ud800cd" } })).toBe(
      `segments.region: ${LONE_SURROGATE_MESSAGE}`,
    );
    expect(predictionMessage({ ...record, request_id: "ab\ud800cd" })).toBe(
      `request_id: ${LONE_SURROGATE_MESSAGE}`,
    );
    expect(predictionMessage({ ...record, prediction: { label: "ab\ud800cd" } })).toBe(
      `prediction.label: ${LONE_SURROGATE_MESSAGE}`,
    );
  });

  it("names the field of each unstorable value of a label", () => {
    const label = { prediction_id: "p-1", model: { id: "fraud-detector" }, actual: { label: 1 } };
    const message = (input: unknown) => {
      const parsed = LabelRecord.safeParse(input);
      return parsed.success ? null : summarizeIssues(parsed.error.issues);
    };
    expect(message({ ...label, revision: 3_000_000_000 })).toBe(`revision: ${INT4_MESSAGE}`);
    expect(message({ ...label, actual: { label: "ab\ud800cd" } })).toBe(
      `actual.label: ${LONE_SURROGATE_MESSAGE}`,
    );
    expect(message({ ...label, annotator: "a\u0000" })).toBe(`annotator: ${NUL_MESSAGE}`);
    expect(message({ ...label, revision: 2_147_483_647 })).toBeNull();
  });
});
