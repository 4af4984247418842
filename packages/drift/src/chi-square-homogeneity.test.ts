import { describe, expect, it } from "vitest";
import { binnedFixture } from "../test/binned-fixture";
import { expectPValue, expectStatistic } from "../test/fixtures";
import { chiSquareHomogeneity, cramersV } from "./chi-square-homogeneity";

describe("chiSquareHomogeneity", () => {
  it("matches scipy.stats.chi2_contingency(correction=False) on the non-empty columns", () => {
    for (const c of binnedFixture.cases) {
      const result = chiSquareHomogeneity(c.reference, c.current);
      expectStatistic(result.statistic, c.chi2.statistic, "statistic");
      expect(result.dof).toBe(c.chi2.dof);
      expectPValue(result.pvalue, c.chi2.pvalue, "pvalue");
    }
  });

  it("has nothing to test with one non-empty column or an empty window", () => {
    expect(chiSquareHomogeneity([5, 0], [7, 0])).toEqual({ statistic: 0, dof: 0, pvalue: 1 });
    expect(chiSquareHomogeneity([0, 0], [7, 1])).toEqual({ statistic: 0, dof: 0, pvalue: 1 });
  });

  it("cramersV is sqrt(chi2 / N) and 0 without data", () => {
    expect(cramersV(9, 100)).toBeCloseTo(0.3, 15);
    expect(cramersV(0, 0)).toBe(0);
  });
});
