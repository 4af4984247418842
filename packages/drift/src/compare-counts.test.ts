import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectPValue, expectStatistic } from "../test/fixtures";
import { profileCases } from "../test/profile-fixture";
import { categoricalSample, numericSample } from "../test/sample-data";
import { buildProfile } from "./build-profile";
import { compareCounts } from "./compare-counts";
import { compareToProfile } from "./compare-to-profile";

describe("compareCounts", () => {
  it("reproduces SciPy's binned block from the fixture counts alone", () => {
    for (const testCase of profileCases) {
      const profile =
        testCase.kind === "numeric"
          ? buildProfile(numericSample(testCase.reference), { kind: "numeric" })
          : buildProfile(categoricalSample(testCase.reference), { kind: "categorical" });
      const result = compareCounts(profile, testCase.expected.curCounts);
      const b = testCase.expected.binned;
      expectStatistic(result.binned.psi, b.psi, `${testCase.name} psi`);
      expectStatistic(result.binned.jsDistance, b.jsDistance, `${testCase.name} js`);
      expectPValue(result.binned.chi2.pvalue, b.chi2.pvalue, `${testCase.name} chi2 p`);
      expect(result.missing).toBeNull();
    }
  });

  it("agrees with compareToProfile (statuses included) given the same counts", () => {
    const reference = Array.from({ length: 3000 }, (_, i) => (i * 0.618) % 1);
    const profile = buildProfile(reference, { kind: "numeric" });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { maxLength: 400 }),
        (current) => {
          const full = compareToProfile(profile, current);
          const fromCounts = compareCounts(profile, full.binned.curCounts, { currentMissing: 0 });
          expect(fromCounts.binned).toEqual(full.binned);
          expect(fromCounts.status).toBe(full.status);
          expect(fromCounts.psiStatus).toBe(full.psiStatus);
          expect(fromCounts.missing).toEqual(full.missing);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("applies the default thresholds and the chi-square gate", () => {
    const profile = buildProfile(
      Array.from({ length: 1000 }, (_, i) => `c${i % 2}${i % 5}`),
      {
        kind: "categorical",
      },
    );
    expect(profile.counts).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0]);
    const same = compareCounts(profile, new Array<number>(10).fill(100).concat(0));
    expect(same.status).toBe("ok");
    const shifted = compareCounts(profile, [300, 300, 50, 50, 50, 50, 50, 50, 50, 50, 0]);
    expect(shifted.jsStatus).toBe("alert");
    expect(shifted.psiStatus).toBe("alert");
    const small = compareCounts(profile, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(small.status).toBe("inconclusive");
  });

  it("uses the binary rule for two-valued columns", () => {
    const profile = buildProfile(
      [...new Array<number>(800).fill(0), ...new Array<number>(200).fill(1)],
      {
        kind: "numeric",
      },
    );
    expect(profile.binary).toEqual({ values: [0, 1] });
    const warn = compareCounts(profile, [1860, 640, 0]);
    expect(warn.primary).toBe("binary");
    expect(warn.binary?.absDiff).toBeCloseTo(0.056, 12);
    expect(warn.status).toBe("warn");
    expect(compareCounts(profile, [1700, 800, 0]).status).toBe("alert");
    expect(compareCounts(profile, [2000, 500, 0]).status).toBe("ok");
  });

  it("returns no_data for an empty window and rejects misaligned counts", () => {
    const profile = buildProfile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { kind: "numeric" });
    const k = profile.counts.length;
    expect(compareCounts(profile, new Array<number>(k).fill(0)).status).toBe("no_data");
    expect(compareCounts(profile, new Array<number>(k).fill(Number.NaN)).status).toBe("no_data");
    expect(() => compareCounts(profile, [1])).toThrow(RangeError);
  });
});
