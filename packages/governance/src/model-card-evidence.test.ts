import { describe, expect, it } from "vitest";

import { completeCard } from "../test/model-card-fixtures";
import { emptyModelCard } from "./model-card";
import { fillModelCardFromEvidence } from "./model-card-evidence";

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe("fillModelCardFromEvidence", () => {
  const evidence = {
    datasets: [
      { name: "loans-holdout", role: "holdout" as const, digest: digest("a"), rowCount: 5000 },
      {
        name: "loans-train",
        role: "train" as const,
        digest: digest("b"),
        rowCount: 100000,
        sourceUri: "s3://bucket/train",
        sensitiveFeatures: ["age"],
      },
    ],
    evaluations: [
      {
        kind: "holdout" as const,
        outcome: "pass" as const,
        groups: [],
        metrics: [{ metric: "auc", slice: null, value: 0.8 }],
      },
      {
        kind: "holdout" as const,
        outcome: "pass" as const,
        groups: [],
        metrics: [
          { metric: "auc", slice: null, value: 0.84, lower: 0.82, upper: 0.86, n: 5000 },
          { metric: "auc", slice: "region=EU", value: 0.83 },
        ],
      },
      {
        kind: "fairness" as const,
        outcome: "pass" as const,
        metrics: [],
        groups: [
          {
            feature: "age",
            group: "<25",
            truePositives: 40,
            falsePositives: 10,
            trueNegatives: 40,
            falseNegatives: 10,
          },
        ],
      },
    ],
  };

  it("fills data from lineage, train first, with digests and sources", () => {
    const card = fillModelCardFromEvidence(emptyModelCard(), evidence);
    expect(card.modelParameters.data).toEqual([
      {
        name: "loans-train",
        role: "train",
        digest: digest("b"),
        rowCount: 100000,
        link: "s3://bucket/train",
        sensitive: ["age"],
      },
      { name: "loans-holdout", role: "holdout", digest: digest("a"), rowCount: 5000 },
    ]);
  });

  it("fills metrics from evaluations, last value winning, with intervals and group rates", () => {
    const metrics = fillModelCardFromEvidence(emptyModelCard(), evidence).quantitativeAnalysis
      .performanceMetrics;
    expect(metrics).toEqual([
      {
        type: "auc",
        value: 0.84,
        slice: null,
        confidenceInterval: { lowerBound: 0.82, upperBound: 0.86 },
        n: 5000,
      },
      { type: "auc", value: 0.83, slice: "region=EU" },
      { type: "selection_rate", value: 0.5, slice: "age=<25", n: 100 },
      { type: "true_positive_rate", value: 0.8, slice: "age=<25", n: 100 },
      { type: "false_positive_rate", value: 0.2, slice: "age=<25", n: 100 },
    ]);
  });

  it("replaces the machine-owned sections and leaves what people wrote", () => {
    const written = completeCard();
    const filled = fillModelCardFromEvidence(written, { datasets: [], evaluations: [] });
    expect(filled.modelParameters.data).toEqual([]);
    expect(filled.quantitativeAnalysis.performanceMetrics).toEqual([]);
    expect(filled.modelParameters.modelArchitecture).toBe(
      written.modelParameters.modelArchitecture,
    );
    expect(filled.considerations).toEqual(written.considerations);
    expect(filled.modelDetails).toEqual(written.modelDetails);
    expect(written.modelParameters.data).toHaveLength(1);
  });
});
