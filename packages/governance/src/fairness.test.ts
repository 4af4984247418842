import { describe, expect, it } from "vitest";

import type { FairnessGroupCounts } from "./evaluation";
import { assessFairness, DEFAULT_MIN_GROUP_SIZE, fairnessMetric, groupRates } from "./fairness";

function counts(
  group: string,
  tp: number,
  fp: number,
  tn: number,
  fn: number,
  feature = "sex",
): FairnessGroupCounts {
  return {
    feature,
    group,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  };
}

// Hand-computed: A: SR 50/100 = 0.5, TPR 40/50 = 0.8, FPR 10/50 = 0.2
//                B: SR 25/100 = 0.25, TPR 20/40 = 0.5, FPR 5/60 = 0.08333
//                C: SR 45/100 = 0.45, TPR 30/40 = 0.75, FPR 15/60 = 0.25
const a = counts("a", 40, 10, 40, 10);
const b = counts("b", 20, 5, 55, 20);
const c = counts("c", 30, 15, 45, 10);
// D: SR 68/100 = 0.68, TPR 38/50 = 0.76, FPR 30/50 = 0.6 (the FPR gap dominates against A)
const d = counts("d", 38, 30, 20, 12);

describe("groupRates", () => {
  it("computes selection rate, TPR and FPR from confusion counts", () => {
    expect(groupRates(b)).toEqual({
      feature: "sex",
      group: "b",
      size: 100,
      selectionRate: 0.25,
      truePositiveRate: 0.5,
      falsePositiveRate: 5 / 60,
    });
  });

  it("returns null for a rate whose denominator is zero", () => {
    expect(groupRates(counts("empty", 0, 0, 0, 0))).toMatchObject({
      size: 0,
      selectionRate: null,
      truePositiveRate: null,
      falsePositiveRate: null,
    });
    expect(groupRates(counts("no-positives", 0, 3, 7, 0)).truePositiveRate).toBeNull();
  });
});

describe("fairnessMetric", () => {
  const abc = [a, b, c].map(groupRates);

  it("demographic parity ratio = min SR / max SR", () => {
    expect(fairnessMetric("demographic_parity_ratio", abc)).toBeCloseTo(0.5, 12);
    expect(fairnessMetric("demographic_parity_ratio", [a, d].map(groupRates))).toBeCloseTo(
      0.5 / 0.68,
      12,
    );
  });

  it("demographic parity difference = max SR - min SR", () => {
    expect(fairnessMetric("demographic_parity_difference", abc)).toBeCloseTo(0.25, 12);
  });

  it("equal opportunity difference = TPR range", () => {
    expect(fairnessMetric("equal_opportunity_difference", abc)).toBeCloseTo(0.3, 12);
    expect(fairnessMetric("equal_opportunity_difference", [a, d].map(groupRates))).toBeCloseTo(
      0.04,
      12,
    );
  });

  it("equalized odds difference = max(TPR range, FPR range)", () => {
    expect(fairnessMetric("equalized_odds_difference", abc)).toBeCloseTo(0.3, 12);
    expect(fairnessMetric("equalized_odds_difference", [a, d].map(groupRates))).toBeCloseTo(
      0.4,
      12,
    );
  });

  it("is 1 / 0 for identical groups, and the ratio is 1 when nobody is selected", () => {
    const same = [a, { ...a, group: "a2" }].map(groupRates);
    expect(fairnessMetric("demographic_parity_ratio", same)).toBe(1);
    expect(fairnessMetric("equalized_odds_difference", same)).toBe(0);
    const none = [counts("x", 0, 0, 50, 10), counts("y", 0, 0, 40, 5)].map(groupRates);
    expect(fairnessMetric("demographic_parity_ratio", none)).toBe(1);
  });

  it("is undefined (null) with fewer than two groups or a group lacking a needed rate", () => {
    expect(fairnessMetric("demographic_parity_ratio", [groupRates(a)])).toBeNull();
    expect(fairnessMetric("demographic_parity_ratio", [])).toBeNull();
    const noPositives = [a, counts("z", 0, 3, 40, 0)].map(groupRates);
    expect(fairnessMetric("equal_opportunity_difference", noPositives)).toBeNull();
    expect(fairnessMetric("equalized_odds_difference", noPositives)).toBeNull();
    expect(fairnessMetric("demographic_parity_difference", noPositives)).not.toBeNull();
  });
});

describe("assessFairness", () => {
  it("defaults the minimum group size to the spec's 30", () => {
    expect(DEFAULT_MIN_GROUP_SIZE).toBe(30);
    const small = counts("small", 5, 5, 5, 5);
    expect(assessFairness("demographic_parity_ratio", [a, small]).smallGroups).toEqual(["small"]);
    expect(assessFairness("demographic_parity_ratio", [a, small], 20).smallGroups).toEqual([]);
  });

  it("keeps the value over all groups apart from the value over adequate groups", () => {
    const small = counts("small", 1, 0, 9, 0); // SR 0.1, n 10
    const assessment = assessFairness("demographic_parity_ratio", [a, c, small]);
    expect(assessment.value).toBeCloseTo(0.1 / 0.5, 12);
    expect(assessment.valueOverAdequateGroups).toBeCloseTo(0.45 / 0.5, 12);
    expect(assessment.groups).toHaveLength(3);
  });
});
