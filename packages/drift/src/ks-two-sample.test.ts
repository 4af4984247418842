import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectPValue, expectStatistic, readFixture } from "../test/fixtures";
import { finiteSample } from "../test/sample-data";
import type { SampleSpec } from "../test/sample-data";
import { ksTwoSample } from "./ks-two-sample";
import type { KsMethod } from "./ks-two-sample";

interface KsExpected {
  statistic: number;
  pvalue: number;
  location: number;
  sign: 1 | -1;
  method: "exact" | "asymp";
}

const { cases } = readFixture<{
  cases: {
    name: string;
    reference: SampleSpec;
    current: SampleSpec;
    results: Partial<Record<KsMethod, KsExpected>>;
  }[];
}>("ks.json");

describe("ksTwoSample against scipy.stats.ks_2samp", () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const reference = finiteSample(testCase.reference);
      const current = finiteSample(testCase.current);
      for (const [method, expected] of Object.entries(testCase.results)) {
        const label = `${testCase.name} (${method})`;
        const result = ksTwoSample(reference, current, { method: method as KsMethod });
        expectStatistic(result.statistic, expected.statistic, `${label} D`);
        expectPValue(result.pvalue, expected.pvalue, `${label} p`);
        expect(result.method, label).toBe(expected.method);
        expect(result.location, label).toBe(expected.location);
        expect(result.sign, label).toBe(expected.sign);
      }
    });
  }
});

describe("ksTwoSample", () => {
  it("gives the documented example", () => {
    const result = ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
    expect(result.statistic).toBe(0.5);
    expect(result.method).toBe("exact");
  });

  it("falls back from exact to asymp when SciPy does (exact recursion outside [0, 1])", () => {
    // scipy: ks_2samp([1..5], [2..6]) -> D 0.2, p 1.0, "Exact calculation unsuccessful".
    const result = ksTwoSample([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], { method: "exact" });
    expect(result).toMatchObject({ statistic: 0.2, pvalue: 1, method: "asymp", location: 4 });
  });

  it("skips non-finite values and returns the neutral result for empty input", () => {
    const withMissing = ksTwoSample([1, Number.NaN, 2, Number.POSITIVE_INFINITY], [1, 2]);
    expect(withMissing.n).toEqual({ reference: 2, current: 2 });
    expect(withMissing.statistic).toBe(0);
    const empty = ksTwoSample([], [1, 2, 3]);
    expect(empty).toMatchObject({ statistic: 0, pvalue: 1, location: null });
    const allMissing = ksTwoSample([Number.NaN], [Number.NaN]);
    expect(allMissing.pvalue).toBe(1);
  });

  it("accepts typed arrays and never mutates its input", () => {
    const reference = new Float32Array([3, 1, 2]);
    ksTwoSample(reference, new Float64Array([0.5, 1.5]));
    expect(Array.from(reference)).toEqual([3, 1, 2]);
  });

  const sample = fc.array(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    {
      minLength: 1,
      maxLength: 60,
    },
  );

  it("keeps D in [0, 1] and p in [0, 1]", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const r = ksTwoSample(a, b);
        return r.statistic >= 0 && r.statistic <= 1 && r.pvalue >= 0 && r.pvalue <= 1;
      }),
    );
  });

  it("gives D = 0 and p = 1 for identical samples", () => {
    fc.assert(
      fc.property(sample, (a) => {
        const r = ksTwoSample(a, a);
        return r.statistic === 0 && r.pvalue === 1;
      }),
    );
  });

  it("is symmetric in D and p, flipping the sign", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ksTwoSample(a, b);
        const ba = ksTwoSample(b, a);
        return ab.statistic === ba.statistic && Math.abs(ab.pvalue - ba.pvalue) <= 1e-12;
      }),
    );
  });

  it("is invariant to permutations of either sample", () => {
    fc.assert(
      fc.property(sample, sample, fc.nat(), (a, b, seed) => {
        const shuffled = [...a].sort((x, y) => ((x * 31 + seed) % 7) - ((y * 31 + seed) % 7));
        const r1 = ksTwoSample(a, b);
        const r2 = ksTwoSample(shuffled, [...b].reverse());
        return (
          r1.statistic === r2.statistic && r1.pvalue === r2.pvalue && r1.location === r2.location
        );
      }),
    );
  });
});
