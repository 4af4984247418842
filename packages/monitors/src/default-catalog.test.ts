import { describe, expect, it } from "vitest";

import { MonitorSettings } from "@plumbline/contracts";

import { defaultCatalog } from "./default-catalog";

describe("defaultCatalog", () => {
  it("holds the spec's monitors with unique keys, each valid settings", () => {
    const catalog = defaultCatalog("binary_classification");
    const keys = catalog.map((entry) => entry.catalogKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(
      [
        "confidence",
        "dataset_drift",
        "error_rate",
        "feature_drift",
        "ingest_health",
        "label_coverage",
        "latency",
        "missing_values",
        "no_data",
        "out_of_range",
        "prediction_drift",
        "realized_performance",
        "traffic_volume",
        "type_mismatch",
        "unseen_categories",
      ].sort(),
    );
    for (const entry of catalog)
      expect(MonitorSettings.parse(entry.settings)).toEqual(entry.settings);
    expect(keys).not.toContain("canary_vs_stable");
  });

  it("depends on the task: regression watches MAE, has no confidence monitor", () => {
    const regression = defaultCatalog("regression");
    expect(regression.map((entry) => entry.catalogKey)).not.toContain("confidence");
    const performance = regression.find((entry) => entry.catalogKey === "realized_performance");
    expect(performance?.settings).toMatchObject({
      statistic: "mae",
      threshold: { kind: "relative", direction: "increase" },
    });
    const classifier = defaultCatalog("multiclass_classification").find(
      (entry) => entry.catalogKey === "realized_performance",
    );
    expect(classifier?.settings).toMatchObject({
      statistic: "accuracy",
      threshold: { direction: "decrease" },
    });
  });

  it("carries the spec's guards: traffic 2 breaches, drift min n 500 and 2 breaches", () => {
    const byKey = new Map(
      defaultCatalog("binary_classification").map((e) => [e.catalogKey, e.settings]),
    );
    expect(byKey.get("traffic_volume")?.breachesToFire).toBe(2);
    expect(byKey.get("feature_drift")).toMatchObject({ minSamples: 500, breachesToFire: 2 });
    expect(byKey.get("missing_values")?.minSamples).toBe(200);
    expect(byKey.get("unseen_categories")?.threshold).toMatchObject({
      warning: 0.02,
      critical: 0.1,
    });
  });
});
