import { describe, expect, it } from "vitest";
import { binnedFixture } from "../test/binned-fixture";
import { benjaminiHochberg } from "./benjamini-hochberg";

describe("benjaminiHochberg", () => {
  it("matches scipy.stats.false_discovery_control(method='bh')", () => {
    for (const { pvalues, adjusted } of binnedFixture.benjaminiHochberg) {
      const ours = benjaminiHochberg(pvalues);
      ours.forEach((p, i) => expect(p).toBeCloseTo(adjusted[i] as number, 14));
    }
  });

  it("treats NaN as no evidence and handles an empty list", () => {
    expect(benjaminiHochberg([Number.NaN, 0.01])).toEqual([1, 0.02]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
