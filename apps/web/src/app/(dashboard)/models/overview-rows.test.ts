import { describe, expect, it } from "vitest";

import { selectOverviewRows, type ModelHealth } from "./overview-rows";

function model(overrides: Partial<ModelHealth> & Pick<ModelHealth, "slug">): ModelHealth {
  return {
    name: overrides.slug,
    task: "binary_classification",
    trafficCount: 0,
    sparkline: [],
    lowConfidenceShare: null,
    worstDriftingFeature: null,
    dataQualityIssueCount: 0,
    latestPerformance: null,
    lastDataAt: null,
    ...overrides,
  };
}

const models = [
  model({
    slug: "fraud",
    trafficCount: 500,
    worstDriftingFeature: { name: "amount", version: "2", jsDistance: 0.31, status: "alert" },
  }),
  model({
    slug: "churn",
    task: "regression",
    trafficCount: 900,
    worstDriftingFeature: { name: "tenure", version: "1", jsDistance: 0.12, status: "warn" },
  }),
  model({ slug: "ranker", trafficCount: 900 }),
];

describe("selectOverviewRows", () => {
  it("sorts by traffic, ties by name", () => {
    expect(selectOverviewRows(models, "", "traffic", "desc").map((m) => m.slug)).toEqual([
      "churn",
      "ranker",
      "fraud",
    ]);
  });

  it("puts alerts above warnings and models without a reference last", () => {
    expect(selectOverviewRows(models, "", "drift", "desc").map((m) => m.slug)).toEqual([
      "fraud",
      "churn",
      "ranker",
    ]);
  });

  it("keeps the models whose name, slug or task hold every word", () => {
    expect(selectOverviewRows(models, "REGRESSION", "name", "asc").map((m) => m.slug)).toEqual([
      "churn",
    ]);
    expect(selectOverviewRows(models, "fr binary", "name", "asc").map((m) => m.slug)).toEqual([
      "fraud",
    ]);
  });
});
