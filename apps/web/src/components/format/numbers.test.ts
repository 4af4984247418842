import { describe, expect, it } from "vitest";

import {
  formatCompact,
  formatLatency,
  formatPercent,
  formatPValue,
  formatScore,
  formatShare,
  formatStatistic,
} from "./numbers";

describe("number formatting", () => {
  it("shows shares as percentages with one decimal below 10%", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.0004)).toBe("<0.1%");
    expect(formatPercent(0.0412)).toBe("4.1%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatShare(null)).toBe("—");
  });

  it("keeps small counts exact and compacts large ones", () => {
    expect(formatCompact(9_999)).toBe("9,999");
    expect(formatCompact(12_400)).toBe("12.4K");
  });

  it("formats latencies in ms or s", () => {
    expect(formatLatency(4.25)).toBe("4.3 ms");
    expect(formatLatency(240.4)).toBe("240 ms");
    expect(formatLatency(1_340)).toBe("1.3 s");
    expect(formatLatency(null)).toBe("—");
  });

  it("formats statistics with three significant digits and p-values with a floor", () => {
    expect(formatStatistic(0.041234)).toBe("0.0412");
    expect(formatStatistic(12.345)).toBe("12.3");
    expect(formatStatistic(1240.5)).toBe("1,241");
    expect(formatStatistic(null)).toBe("—");
    expect(formatPValue(0.0001)).toBe("< 0.001");
    expect(formatPValue(0.04567)).toBe("0.046");
    expect(formatScore(0.8)).toBe("0.80");
  });
});
