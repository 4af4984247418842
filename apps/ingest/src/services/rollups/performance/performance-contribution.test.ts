import { describe, expect, it } from "vitest";

import { computePerformanceContribution, type JoinedPair } from "./performance-contribution";

const key = { version: "1", deployment: "stable", minute: new Date("2026-01-01T10:05:00Z") };

function contribution(pair: Partial<JoinedPair>) {
  return computePerformanceContribution(
    {
      task: "binary_classification",
      declaredPositiveClass: null,
      prediction: {},
      actual: {},
      ...pair,
    },
    key,
  );
}

describe("computePerformanceContribution", () => {
  it("names the rollup key and adds nothing when neither side has a class or a value", () => {
    expect(contribution({ prediction: { score: 0.3 }, actual: { value: 2 } })).toEqual({
      version: "1",
      deployment: "stable",
      minute: "2026-01-01T10:05:00.000Z",
      confusion: null,
      score: null,
      error: null,
    });
  });

  it("reads P(positive) from scores, from a label's confidence, or from a bare score", () => {
    const declared = { declaredPositiveClass: "default" };
    // scores: P(default) = 0.72 -> bin 14 of 20.
    expect(
      contribution({
        ...declared,
        prediction: { label: "default", score: 0.72, scores: { default: 0.72, repay: 0.28 } },
        actual: { label: "repay" },
      }),
    ).toMatchObject({
      confusion: { predicted: "default", actual: "repay" },
      score: { value: 0.72, bin: 14, positive: false },
    });
    // The confidence of "repay" is 0.75, so P(default) = 0.25 -> bin 5.
    expect(
      contribution({
        ...declared,
        prediction: { label: "repay", score: 0.75 },
        actual: { label: "default" },
      }).score,
    ).toEqual({ value: 0.25, bin: 5, positive: true });
    // A bare score is P(positive); a boolean label makes `true` positive.
    expect(contribution({ prediction: { score: 1 }, actual: { label: true } })).toMatchObject({
      confusion: null,
      score: { value: 1, bin: 19, positive: true },
    });
  });

  it("keeps scores out of models that are not binary classifiers, but counts their classes", () => {
    expect(
      contribution({
        task: "multiclass_classification",
        prediction: { scores: { cat: 0.2, dog: 0.5, eel: 0.3 } },
        actual: { label: "eel" },
      }),
    ).toMatchObject({ confusion: { predicted: "dog", actual: "eel" }, score: null });
  });

  it("takes the error of a regressor as predicted minus actual", () => {
    expect(
      contribution({ task: "regression", prediction: { value: 7.5 }, actual: { value: 10 } }),
    ).toMatchObject({ confusion: null, score: null, error: -2.5 });
  });
});
