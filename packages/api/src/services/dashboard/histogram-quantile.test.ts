import { describe, expect, it } from "vitest";

import { quantileFromHistogram, quantilesFromHistogram } from "./histogram-quantile";

describe("quantileFromHistogram", () => {
  it("interpolates inside the bin that holds the rank", () => {
    // 10 values: 2 in [0, 1], 6 in [1, 2], 2 in [2, 4]. Median rank 5: 3 of the 6 in [1, 2] -> 1.5.
    const bins = [
      { lower: 0, upper: 1, count: 2 },
      { lower: 1, upper: 2, count: 6 },
      { lower: 2, upper: 4, count: 2 },
    ];
    expect(quantileFromHistogram(bins, 0.5)).toBeCloseTo(1.5, 12);
    // rank 1 of 2 in [0, 1] -> 0.5; rank 9: 1 of 2 in [2, 4] -> 3.
    expect(quantilesFromHistogram(bins, [0.1, 0.9])).toEqual([0.5, 3]);
  });

  it("skips empty bins and lands on a bin edge when the rank is reached there", () => {
    const bins = [
      { lower: 0, upper: 1, count: 2 },
      { lower: 1, upper: 2, count: 0 },
      { lower: 2, upper: 3, count: 2 },
    ];
    expect(quantileFromHistogram(bins, 0.5)).toBe(1);
    // rank 3: one of the two in [2, 3] -> 2.5
    expect(quantileFromHistogram(bins, 0.75)).toBeCloseTo(2.5, 12);
  });

  it("adds histograms with different edges (a mixture)", () => {
    // A: 4 values over [0, 4]; B: 4 values over [2, 6]. F(2) = 2, F(4) = 4 + 2 = 6.
    // Median rank 4 lies between x = 2 (F 2) and x = 4 (F 6): 2 + (4 - 2) / 4 * 2 = 3.
    const bins = [
      { lower: 0, upper: 4, count: 4 },
      { lower: 2, upper: 6, count: 4 },
    ];
    expect(quantileFromHistogram(bins, 0.5)).toBeCloseTo(3, 12);
  });

  it("treats equal bounds as a point mass", () => {
    const bins = [
      { lower: 0, upper: 0, count: 3 },
      { lower: 1, upper: 1, count: 1 },
    ];
    expect(quantileFromHistogram(bins, 0.5)).toBe(0);
    expect(quantileFromHistogram(bins, 0.9)).toBe(1);
  });

  it("returns null without mass and rejects q outside (0, 1)", () => {
    expect(quantileFromHistogram([{ lower: 0, upper: 1, count: 0 }], 0.5)).toBeNull();
    expect(quantileFromHistogram([], 0.5)).toBeNull();
    expect(() => quantileFromHistogram([{ lower: 0, upper: 1, count: 1 }], 1)).toThrow(RangeError);
  });
});
