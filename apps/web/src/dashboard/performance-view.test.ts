import { describe, expect, it } from "vitest";

import {
  errorBucketLabel,
  performanceRows,
  reliabilitySeries,
  type PerformanceSummaryView,
  type PerformanceView,
} from "./performance-view";

const MINUTE = 60_000;

function summary(overrides: Partial<PerformanceSummaryView>): PerformanceSummaryView {
  return {
    classification: null,
    binary: null,
    regression: null,
    coverage: { predictions: 0, joined: 0, coverage: null },
    delay: { joined: 0, meanMs: null, p50Ms: null, p90Ms: null },
    ...overrides,
  };
}

const classified = summary({
  classification: {
    count: 4,
    accuracy: 0.75,
    macro: { precision: 0.8, recall: 0.7, f1: 0.74 },
    classes: [],
  },
  binary: {
    positives: 2,
    negatives: 2,
    rocAuc: 0.875,
    reliability: [{ lower: 0.8, upper: 0.85, count: 2, meanScore: 0.82, positiveShare: 0.5 }],
  },
  coverage: { predictions: 8, joined: 4, coverage: 0.5 },
});

const view: PerformanceView = {
  bucketMs: MINUTE,
  labelName: "default",
  overall: classified,
  buckets: [
    { start: new Date(0), ...classified },
    { start: new Date(MINUTE), ...summary({}) },
  ],
};

describe("performanceRows", () => {
  it("draws metrics per bucket and leaves a bucket without labels as a gap", () => {
    const rows = performanceRows([{ key: "a", data: view }], MINUTE);
    expect(rows[0]).toMatchObject({
      t: 0,
      inProgress: false,
      "a:accuracy": 0.75,
      "a:f1": 0.74,
      "a:auc": 0.875,
      "a:coverage": 0.5,
      "a:mae": null,
    });
    expect(rows[1]).toMatchObject({
      t: MINUTE,
      inProgress: true,
      "a:accuracy": null,
      "a:coverage": null,
    });
  });
});

describe("reliabilitySeries", () => {
  it("places each bin at its mean score and its observed positive share", () => {
    expect(reliabilitySeries([{ key: "a", label: "v1", data: view }])).toEqual([
      {
        key: "a",
        label: "v1",
        bins: [{ lower: 0.8, upper: 0.85, predicted: 0.82, observed: 0.5, count: 2 }],
      },
    ]);
  });
});

describe("errorBucketLabel", () => {
  it("names open and closed error buckets", () => {
    expect(errorBucketLabel({ lower: null, upper: -1 })).toBe("≤ -1");
    expect(errorBucketLabel({ lower: -1, upper: -0.5 })).toBe("(-1, -0.5]");
    expect(errorBucketLabel({ lower: 4, upper: null })).toBe("> 4");
  });
});
