import { describe, expect, it } from "vitest";

import type { MonitorThreshold } from "@plumbline/contracts";

import { bandCentre, judgeBand } from "./band-threshold";
import { judgeReading } from "./judge-reading";
import type { Reading } from "./reading";
import { judgeRelative, relativeChange } from "./relative-threshold";
import { judgeStatic } from "./static-threshold";
import { applyFalseDiscoveryControl, judgeStatistical } from "./statistical-threshold";

const verdictOf = (judgement: { verdict: unknown }) => judgement.verdict;

describe("judgeStatic", () => {
  const above = { kind: "static", direction: "above", warning: 0.01, critical: 0.05 } as const;
  const below = { kind: "static", direction: "below", warning: 0.5, critical: 0.2 } as const;

  it("breaches above the warning, then the critical level, strictly", () => {
    expect(verdictOf(judgeStatic(above, 0.01))).toEqual({ kind: "healthy" });
    expect(judgeStatic(above, 0.02)).toMatchObject({
      verdict: { kind: "breach", severity: "warning" },
      limit: 0.01,
    });
    expect(judgeStatic(above, 0.06)).toMatchObject({
      verdict: { kind: "breach", severity: "critical" },
      limit: 0.05,
    });
  });

  it("breaches below for a `below` threshold", () => {
    expect(verdictOf(judgeStatic(below, 0.6))).toEqual({ kind: "healthy" });
    expect(verdictOf(judgeStatic(below, 0.4))).toEqual({ kind: "breach", severity: "warning" });
    expect(verdictOf(judgeStatic(below, 0.1))).toEqual({ kind: "breach", severity: "critical" });
  });

  it("skips a null level and is inconclusive without a value", () => {
    const warningOnly = { ...above, critical: null };
    expect(verdictOf(judgeStatic(warningOnly, 99))).toEqual({
      kind: "breach",
      severity: "warning",
    });
    expect(verdictOf(judgeStatic(above, null))).toEqual({ kind: "inconclusive" });
    expect(verdictOf(judgeStatic(above, Number.NaN))).toEqual({ kind: "inconclusive" });
  });
});

describe("judgeRelative", () => {
  const percentEither = {
    kind: "relative",
    baseline: "last_week",
    change: "percent",
    direction: "either",
    warning: 50,
    critical: 80,
  } as const;
  const pointsIncrease = {
    kind: "relative",
    baseline: "reference",
    change: "points",
    direction: "increase",
    warning: 0.05,
    critical: 0.2,
  } as const;

  it("computes points and percent changes, and refuses a percent of zero", () => {
    expect(relativeChange("points", 0.3, 0.1)).toBeCloseTo(0.2);
    expect(relativeChange("percent", 150, 100)).toBe(50);
    expect(relativeChange("percent", -150, -100)).toBe(-50);
    expect(relativeChange("percent", 5, 0)).toBeNull();
    expect(relativeChange("percent", 0, 0)).toBe(0);
  });

  it("either: a rise or a fall past the level breaches", () => {
    expect(verdictOf(judgeRelative(percentEither, 140, 100))).toEqual({ kind: "healthy" });
    expect(verdictOf(judgeRelative(percentEither, 40, 100))).toEqual({
      kind: "breach",
      severity: "warning",
    });
    expect(verdictOf(judgeRelative(percentEither, 190, 100))).toEqual({
      kind: "breach",
      severity: "critical",
    });
    expect(verdictOf(judgeRelative(percentEither, 10, 100))).toEqual({
      kind: "breach",
      severity: "critical",
    });
  });

  it("increase ignores falls; decrease ignores rises", () => {
    expect(verdictOf(judgeRelative(pointsIncrease, 0.0, 0.3))).toEqual({ kind: "healthy" });
    expect(verdictOf(judgeRelative(pointsIncrease, 0.12, 0.05))).toEqual({
      kind: "breach",
      severity: "warning",
    });
    expect(verdictOf(judgeRelative(pointsIncrease, 0.3, 0.05))).toEqual({
      kind: "breach",
      severity: "critical",
    });
    const decrease = { ...pointsIncrease, direction: "decrease" } as const;
    expect(verdictOf(judgeRelative(decrease, 0.3, 0.05))).toEqual({ kind: "healthy" });
    expect(verdictOf(judgeRelative(decrease, 0.8, 0.9))).toEqual({
      kind: "breach",
      severity: "warning",
    });
  });

  it("is inconclusive without a baseline, a value, or with a zero percent baseline", () => {
    expect(judgeRelative(percentEither, 10, null)).toMatchObject({
      verdict: { kind: "inconclusive" },
      reason: "no last week baseline",
    });
    expect(verdictOf(judgeRelative(percentEither, null, 10))).toEqual({ kind: "inconclusive" });
    expect(verdictOf(judgeRelative(percentEither, 10, 0))).toEqual({ kind: "inconclusive" });
  });
});

describe("judgeBand", () => {
  const band = {
    kind: "band",
    method: "median_mad",
    direction: "either",
    warningK: 4,
    criticalK: 8,
    trailingBuckets: 6,
  } as const;
  // median 100, absolute deviations 0, 2, 2, 4, 4, 10 -> MAD 3
  const history = [100, 98, 102, 96, 104, 110];

  it("computes mean +/- sd (sample) and median +/- MAD (raw)", () => {
    expect(bandCentre("median_mad", history)).toEqual({ centre: 101, spread: 3 });
    const { centre, spread } = bandCentre("mean_sd", [1, 2, 3, 4]);
    expect(centre).toBe(2.5);
    expect(spread).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it("breaches outside k spreads, critical past criticalK", () => {
    expect(verdictOf(judgeBand(band, 112, history))).toEqual({ kind: "healthy" });
    expect(judgeBand(band, 114, history)).toMatchObject({
      verdict: { kind: "breach", severity: "warning" },
      limit: 113,
    });
    expect(verdictOf(judgeBand(band, 70, history))).toEqual({
      kind: "breach",
      severity: "critical",
    });
  });

  it("watches one side only when asked", () => {
    const above = { ...band, direction: "above" } as const;
    const below = { ...band, direction: "below", criticalK: null } as const;
    expect(verdictOf(judgeBand(above, 70, history))).toEqual({ kind: "healthy" });
    expect(verdictOf(judgeBand(below, 70, history))).toEqual({
      kind: "breach",
      severity: "warning",
    });
    expect(verdictOf(judgeBand(below, 200, history))).toEqual({ kind: "healthy" });
  });

  it("uses the trailing N buckets, skips gaps, and needs 3 values", () => {
    const mean = { ...band, method: "mean_sd", trailingBuckets: 4, criticalK: null } as const;
    // The last 4 buckets hold [10, 10, gap, 11]: mean 10.33, sd 0.577
    expect(verdictOf(judgeBand(mean, 13, [1000, 10, 10, null, 11]))).toEqual({
      kind: "breach",
      severity: "warning",
    });
    expect(verdictOf(judgeBand(band, 5, [1, null, 2]))).toEqual({ kind: "inconclusive" });
    expect(verdictOf(judgeBand(band, null, history))).toEqual({ kind: "inconclusive" });
  });

  it("a flat history breaches on any departure", () => {
    expect(verdictOf(judgeBand(band, 5, [5, 5, 5]))).toEqual({ kind: "healthy" });
    expect(verdictOf(judgeBand(band, 6, [5, 5, 5]))).toEqual({
      kind: "breach",
      severity: "critical",
    });
  });
});

describe("judgeStatistical", () => {
  it("maps the drift status: alert critical, warn warning, ok healthy, else inconclusive", () => {
    const reading = { feature: "age", value: 0.2, samples: 1000 };
    expect(verdictOf(judgeStatistical({ ...reading, driftStatus: "alert" }))).toEqual({
      kind: "breach",
      severity: "critical",
    });
    expect(verdictOf(judgeStatistical({ ...reading, driftStatus: "warn" }))).toEqual({
      kind: "breach",
      severity: "warning",
    });
    expect(verdictOf(judgeStatistical({ ...reading, driftStatus: "ok" }))).toEqual({
      kind: "healthy",
    });
    expect(verdictOf(judgeStatistical({ ...reading, driftStatus: "inconclusive" }))).toEqual({
      kind: "inconclusive",
    });
    expect(verdictOf(judgeStatistical({ ...reading, driftStatus: "no_data" }))).toEqual({
      kind: "inconclusive",
    });
  });

  it("with FDR control, only discoveries breach (SciPy bh: [0.03, 0.04, 0.04])", () => {
    const readings: Reading[] = [0.01, 0.04, 0.03].map((pValue, index) => ({
      feature: `f${index}`,
      value: 0.1,
      samples: 1000,
      driftStatus: "warn" as const,
      pValue,
    }));
    const controlled = applyFalseDiscoveryControl(readings, 0.035);
    expect(controlled.map((reading) => reading.discovered)).toEqual([true, false, false]);
    expect(controlled[1]?.details?.adjustedPValue).toBeCloseTo(0.04, 12);
    expect(controlled.map((reading) => judgeStatistical(reading).verdict.kind)).toEqual([
      "breach",
      "healthy",
      "healthy",
    ]);
  });

  it("leaves readings without a p-value unmarked", () => {
    const [reading] = applyFalseDiscoveryControl(
      [
        {
          feature: "x",
          value: null,
          samples: 0,
          driftStatus: "alert",
        } satisfies Reading as Reading,
      ],
      0.05,
    );
    expect(reading?.discovered).toBeUndefined();
    expect(verdictOf(judgeStatistical(reading!))).toEqual({ kind: "breach", severity: "critical" });
  });
});

describe("judgeReading", () => {
  it("is inconclusive below minSamples, whatever the threshold", () => {
    const threshold: MonitorThreshold = {
      kind: "static",
      direction: "above",
      warning: 0,
      critical: null,
    };
    const reading = { feature: null, value: 5, samples: 199 };
    expect(judgeReading(threshold, reading, [], { minSamples: 200 })).toMatchObject({
      verdict: { kind: "inconclusive" },
      reason: "199 samples, fewer than the 200 required",
    });
    expect(
      verdictOf(judgeReading(threshold, { ...reading, samples: 200 }, [], { minSamples: 200 })),
    ).toEqual({ kind: "breach", severity: "warning" });
  });

  it("dispatches each kind", () => {
    const reading = {
      feature: null,
      value: 10,
      samples: 10,
      baseline: 5,
      driftStatus: "warn" as const,
    };
    expect(
      judgeReading(
        {
          kind: "relative",
          baseline: "previous_period",
          change: "percent",
          direction: "increase",
          warning: 50,
          critical: null,
        },
        reading,
      ).verdict,
    ).toEqual({ kind: "breach", severity: "warning" });
    expect(
      judgeReading(
        {
          kind: "band",
          method: "mean_sd",
          direction: "either",
          warningK: 3,
          criticalK: null,
          trailingBuckets: 10,
        },
        reading,
        [10, 10, 10],
      ).verdict,
    ).toEqual({ kind: "healthy" });
    expect(
      judgeReading({ kind: "statistical", fdr: false, fdrLevel: 0.05 }, reading).verdict,
    ).toEqual({ kind: "breach", severity: "warning" });
  });
});
