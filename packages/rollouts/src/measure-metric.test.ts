import { describe, expect, it } from "vitest";

import { jensenShannon, populationStabilityIndex } from "@plumbline/drift";

import { emptySideSums, measureMetric, sideStatistic, type SideSums } from "./measure-metric";

const side = (overrides: Partial<SideSums>): SideSums => ({ ...emptySideSums(4), ...overrides });

describe("measuring a metric, canary against stable", () => {
  it("takes the error-rate difference", () => {
    expect(
      measureMetric(
        "error_rate_difference",
        side({ count: 200, errorCount: 20 }),
        side({ count: 1000, errorCount: 10 }),
      ),
    ).toMatchObject({ canarySamples: 200, stableSamples: 1000 });
    expect(
      measureMetric(
        "error_rate_difference",
        side({ count: 200, errorCount: 20 }),
        side({ count: 1000, errorCount: 10 }),
      ).value,
    ).toBeCloseTo(0.09, 12);
  });

  it("takes the p99 latency ratio, null when the stable p99 is missing or zero", () => {
    const canary = side({ latencyCount: 50, latencyP99Ms: 300 });
    expect(
      measureMetric("p99_latency_ratio", canary, side({ latencyCount: 80, latencyP99Ms: 200 })),
    ).toEqual({ value: 1.5, canarySamples: 50, stableSamples: 80 });
    expect(measureMetric("p99_latency_ratio", canary, side({ latencyP99Ms: 0 })).value).toBeNull();
    expect(measureMetric("p99_latency_ratio", canary, side({})).value).toBeNull();
  });

  it("compares score histograms with the drift package's JS distance and PSI", () => {
    const canary = side({ scoreCount: 100, scoreHistogram: [10, 20, 30, 40] });
    const stable = side({ scoreCount: 100, scoreHistogram: [40, 30, 20, 10] });
    expect(measureMetric("prediction_js_distance", canary, stable).value).toBe(
      jensenShannon([40, 30, 20, 10], [10, 20, 30, 40]).distance,
    );
    expect(measureMetric("prediction_psi", canary, stable).value).toBe(
      populationStabilityIndex([40, 30, 20, 10], [10, 20, 30, 40]),
    );
    expect(measureMetric("prediction_psi", side({}), stable).value).toBeNull();
    expect(
      measureMetric("prediction_psi", { ...canary, scoreHistogram: [1, 2] }, stable).error,
    ).toBe("the two score histograms have different bins");
  });

  it("shifts of mean confidence and low-confidence share", () => {
    const canary = side({ scoreCount: 100, scoreSum: 60, lowConfidenceCount: 30 });
    const stable = side({ scoreCount: 200, scoreSum: 160, lowConfidenceCount: 20 });
    expect(measureMetric("mean_confidence_shift", canary, stable).value).toBeCloseTo(-0.2, 12);
    expect(measureMetric("low_confidence_share_shift", canary, stable).value).toBeCloseTo(0.2, 12);
  });

  it("takes the accuracy drop over labelled predictions, null without labels", () => {
    expect(
      measureMetric(
        "accuracy_drop",
        side({ labelled: 100, correct: 80 }),
        side({ labelled: 100, correct: 90 }),
      ),
    ).toMatchObject({ canarySamples: 100, stableSamples: 100 });
    expect(
      measureMetric(
        "accuracy_drop",
        side({ labelled: 100, correct: 80 }),
        side({ labelled: 100, correct: 90 }),
      ).value,
    ).toBeCloseTo(0.1, 12);
    expect(measureMetric("accuracy_drop", side({}), side({})).value).toBeNull();
  });
});

describe("each side's own statistic", () => {
  it("is the rate, quantile or share a metric compares, null for distances", () => {
    const sums = side({
      count: 100,
      errorCount: 5,
      latencyP99Ms: 80,
      scoreCount: 50,
      scoreSum: 40,
      lowConfidenceCount: 10,
      labelled: 20,
      correct: 15,
    });
    expect(sideStatistic("error_rate_difference", sums)).toBe(0.05);
    expect(sideStatistic("p99_latency_ratio", sums)).toBe(80);
    expect(sideStatistic("mean_confidence_shift", sums)).toBe(0.8);
    expect(sideStatistic("low_confidence_share_shift", sums)).toBe(0.2);
    expect(sideStatistic("accuracy_drop", sums)).toBe(0.75);
    expect(sideStatistic("prediction_psi", sums)).toBeNull();
    expect(sideStatistic("error_rate_difference", side({}))).toBeNull();
  });
});
