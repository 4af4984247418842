import { describe, expect, it } from "vitest";
import { expectPValue, readFixture } from "../test/fixtures";
import { chiSquareQuantile, chiSquareSurvival } from "./chi-square-distribution";

const fixture = readFixture<{
  chi2Sf: [number, number, number][];
  chi2Ppf: [number, number, number][];
}>("special-functions.json");

describe("chiSquareSurvival", () => {
  it("matches scipy.stats.chi2.sf over small and large degrees of freedom", () => {
    for (const [x, dof, expected] of fixture.chi2Sf) {
      expectPValue(chiSquareSurvival(x, dof), expected, `chi2.sf(${x}, ${dof})`);
    }
  });

  it("gives p = 1 for zero degrees of freedom and at zero", () => {
    expect(chiSquareSurvival(3, 0)).toBe(1);
    expect(chiSquareSurvival(0, 4)).toBe(1);
  });
});

describe("chiSquareQuantile", () => {
  it("inverts the CDF like scipy.stats.chi2.ppf", () => {
    for (const [q, dof, expected] of fixture.chi2Ppf) {
      expect(Math.abs(chiSquareQuantile(q, dof) - expected)).toBeLessThanOrEqual(1e-9 * expected);
    }
  });
});
