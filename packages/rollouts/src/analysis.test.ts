import { describe, expect, it } from "vitest";

import {
  judgeMeasurement,
  measurementDueAt,
  measurementWindow,
  metricPhase,
  rollbackBoundSeconds,
  runPhase,
  tallyMeasurements,
  type MeasurementPhase,
} from "./analysis";

const measured = (value: number | null, samples = 1000) => ({
  value,
  canarySamples: samples,
  stableSamples: samples,
});

describe("judging one measurement", () => {
  const both = {
    minSamples: 100,
    successCondition: { op: "<=", threshold: 0.1 },
    failureCondition: { op: ">", threshold: 0.2 },
  } as const;

  it("with both conditions: failed, successful, or inconclusive between them", () => {
    expect(judgeMeasurement(both, measured(0.25)).phase).toBe("failed");
    expect(judgeMeasurement(both, measured(0.05)).phase).toBe("successful");
    expect(judgeMeasurement(both, measured(0.15))).toEqual({
      phase: "inconclusive",
      reason: "neither the success nor the failure condition holds",
    });
  });

  it("with a success condition only, a value that misses it fails", () => {
    const metric = { ...both, failureCondition: null };
    expect(judgeMeasurement(metric, measured(0.05)).phase).toBe("successful");
    expect(judgeMeasurement(metric, measured(0.15))).toEqual({
      phase: "failed",
      reason: "success condition value <= 0.1 does not hold",
    });
  });

  it("with a failure condition only, a value that misses it succeeds", () => {
    const metric = { ...both, successCondition: null };
    expect(judgeMeasurement(metric, measured(0.15)).phase).toBe("successful");
    expect(judgeMeasurement(metric, measured(0.21)).phase).toBe("failed");
  });

  it("reads each operator at its boundary", () => {
    const judge = (op: "<" | "<=" | ">" | ">=", value: number) =>
      judgeMeasurement(
        { minSamples: 1, successCondition: null, failureCondition: { op, threshold: 1 } },
        measured(value),
      ).phase;
    expect([judge("<", 1), judge("<=", 1), judge(">", 1), judge(">=", 1)]).toEqual([
      "successful",
      "failed",
      "successful",
      "failed",
    ]);
  });

  it("is inconclusive below the sample floor on either side, or without a value", () => {
    expect(
      judgeMeasurement(both, { value: 0.9, canarySamples: 99, stableSamples: 5000 }).phase,
    ).toBe("inconclusive");
    expect(
      judgeMeasurement(both, { value: 0.9, canarySamples: 5000, stableSamples: 99 }).phase,
    ).toBe("inconclusive");
    expect(judgeMeasurement(both, measured(null)).phase).toBe("inconclusive");
    expect(judgeMeasurement(both, measured(Number.NaN)).phase).toBe("inconclusive");
  });

  it("is an error when the reading failed", () => {
    expect(judgeMeasurement(both, { ...measured(0.05), error: "timeout" })).toEqual({
      phase: "error",
      reason: "timeout",
    });
  });
});

describe("a metric's phase (Argo's limits)", () => {
  const metric = { count: 5, failureLimit: 1, inconclusiveLimit: 1, consecutiveErrorLimit: 2 };
  const phases = (...list: MeasurementPhase[]) => list;

  it("runs until count measurements were taken, then succeeds", () => {
    expect(metricPhase(metric, [])).toBe("running");
    expect(
      metricPhase(metric, phases("successful", "successful", "successful", "successful")),
    ).toBe("running");
    expect(
      metricPhase(
        metric,
        phases("successful", "successful", "successful", "successful", "successful"),
      ),
    ).toBe("successful");
  });

  it("fails only once failures exceed failureLimit", () => {
    expect(metricPhase(metric, phases("failed"))).toBe("running");
    expect(metricPhase(metric, phases("failed", "successful", "failed"))).toBe("failed");
    expect(metricPhase({ ...metric, failureLimit: 0 }, phases("failed"))).toBe("failed");
  });

  it("tolerates failureLimit failures within count and still succeeds", () => {
    expect(
      metricPhase(metric, phases("failed", "successful", "successful", "successful", "successful")),
    ).toBe("successful");
  });

  it("is inconclusive once inconclusive measurements exceed inconclusiveLimit", () => {
    expect(metricPhase(metric, phases("inconclusive"))).toBe("running");
    expect(metricPhase(metric, phases("inconclusive", "inconclusive"))).toBe("inconclusive");
  });

  it("errs only on consecutive errors beyond consecutiveErrorLimit; other outcomes reset it", () => {
    expect(metricPhase(metric, phases("error", "error"))).toBe("running");
    expect(metricPhase(metric, phases("error", "error", "successful", "error", "error"))).toBe(
      "running",
    );
    expect(metricPhase(metric, phases("error", "error", "error"))).toBe("error");
  });

  it("does not count errors towards count", () => {
    const tally = tallyMeasurements(
      phases("successful", "error", "successful", "failed", "inconclusive", "error"),
    );
    expect(tally).toEqual({
      count: 4,
      successful: 2,
      failed: 1,
      inconclusive: 1,
      error: 2,
      consecutiveError: 1,
      taken: 6,
    });
    expect(metricPhase({ ...metric, count: 2 }, phases("error", "successful"))).toBe("running");
  });

  it("checks failure before inconclusive before error", () => {
    const strict = { count: 10, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 0 };
    expect(metricPhase(strict, phases("inconclusive", "failed", "error"))).toBe("failed");
    expect(metricPhase(strict, phases("inconclusive", "error"))).toBe("inconclusive");
    expect(metricPhase(strict, phases("error"))).toBe("error");
  });
});

describe("a run's phase", () => {
  it("is the worst metric: failed, error, inconclusive, running, successful", () => {
    expect(runPhase(["successful", "inconclusive", "failed", "error"])).toBe("failed");
    expect(runPhase(["successful", "inconclusive", "error", "running"])).toBe("error");
    expect(runPhase(["successful", "inconclusive", "running"])).toBe("inconclusive");
    expect(runPhase(["successful", "running"])).toBe("running");
    expect(runPhase(["successful", "successful"])).toBe("successful");
    expect(runPhase([])).toBe("successful");
  });
});

describe("the schedule", () => {
  const start = new Date("2026-03-01T00:00:00Z");
  const metric = { initialDelaySeconds: 30, intervalSeconds: 10, failureLimit: 2 };

  it("measures at the end of each interval after the initial delay", () => {
    expect(measurementDueAt(metric, start, 0)).toEqual(new Date("2026-03-01T00:00:40Z"));
    expect(measurementDueAt(metric, start, 2)).toEqual(new Date("2026-03-01T00:01:00Z"));
    expect(measurementWindow(metric, start, 1)).toEqual({
      from: new Date("2026-03-01T00:00:40Z"),
      to: new Date("2026-03-01T00:00:50Z"),
    });
  });

  it("bounds the rollback by initialDelay + (failureLimit + 1) x interval", () => {
    expect(rollbackBoundSeconds([metric])).toBe(60);
    expect(
      rollbackBoundSeconds([
        metric,
        { initialDelaySeconds: 0, intervalSeconds: 60, failureLimit: 0 },
      ]),
    ).toBe(60);
    expect(rollbackBoundSeconds([])).toBe(0);
  });
});
