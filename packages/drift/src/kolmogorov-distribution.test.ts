import { describe, it } from "vitest";
import { expectPValue, readFixture } from "../test/fixtures";
import { kolmogorovSurvival, smirnovSurvival } from "./kolmogorov-distribution";

const fixture = readFixture<{
  kstwoSf: [number, number, number][];
  smirnov: [number, number, number][];
}>("special-functions.json");

describe("kolmogorovSurvival", () => {
  it("matches scipy.stats.kstwo.sf on every branch (n from 1 to 500,000)", () => {
    for (const [d, n, expected] of fixture.kstwoSf) {
      expectPValue(kolmogorovSurvival(d, n), expected, `kstwo.sf(${d}, ${n})`);
    }
  });

  it("smirnovSurvival matches scipy.special.smirnov", () => {
    for (const [n, d, expected] of fixture.smirnov) {
      expectPValue(smirnovSurvival(n, d), expected, `smirnov(${n}, ${d})`);
    }
  });
});
