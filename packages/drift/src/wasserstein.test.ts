import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectStatistic, readFixture } from "../test/fixtures";
import { finiteSample } from "../test/sample-data";
import type { SampleSpec } from "../test/sample-data";
import { wasserstein } from "./wasserstein";

const { cases } = readFixture<{
  cases: {
    name: string;
    reference: SampleSpec;
    current: SampleSpec;
    wasserstein: { w1: number; w1NormStd: number };
  }[];
}>("ks.json");

describe("wasserstein against scipy.stats.wasserstein_distance", () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = wasserstein(finiteSample(testCase.reference), finiteSample(testCase.current));
      expectStatistic(result.w1, testCase.wasserstein.w1, "w1");
      expectStatistic(result.w1NormStd, testCase.wasserstein.w1NormStd, "w1NormStd");
    });
  }
});

describe("wasserstein", () => {
  it("gives the documented example", () => {
    expect(wasserstein([0, 1, 3], [5, 6, 8]).w1).toBe(5);
  });

  it("returns 0 for empty or all-missing input", () => {
    expect(wasserstein([], [1]).w1).toBe(0);
    expect(wasserstein([Number.NaN], [1]).w1NormStd).toBe(0);
  });

  const sample = fc.array(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }),
    {
      minLength: 1,
      maxLength: 50,
    },
  );

  it("is zero on identical samples, symmetric, and shift-equivariant", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(wasserstein(a, a).w1).toBe(0);
        const ab = wasserstein(a, b).w1;
        expect(Math.abs(ab - wasserstein(b, a).w1)).toBeLessThanOrEqual(1e-9 * Math.max(1, ab));
        expect(ab).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("is invariant to permutations", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(wasserstein([...a].reverse(), b).w1).toBe(wasserstein(a, b).w1);
      }),
    );
  });
});
