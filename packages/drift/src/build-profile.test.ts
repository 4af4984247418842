import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectStatistic } from "../test/fixtures";
import { profileCases } from "../test/profile-fixture";
import { categoricalSample, numericSample } from "../test/sample-data";
import { buildProfile, decileEdges } from "./build-profile";

describe("buildProfile against the NumPy definitions", () => {
  for (const testCase of profileCases) {
    it(testCase.name, () => {
      const e = testCase.expected;
      if (testCase.kind === "numeric") {
        const profile = buildProfile(numericSample(testCase.reference), { kind: "numeric" });
        expect(profile.bins).toEqual(testCase.expected.bins);
        expect(profile.min).toBe(testCase.expected.min);
        expect(profile.max).toBe(testCase.expected.max);
        expectStatistic(profile.mean ?? Number.NaN, testCase.expected.mean, "mean");
        expectStatistic(profile.std ?? Number.NaN, testCase.expected.std, "std");
        expect(profile.sorted?.length ?? profile.sketch?.quantiles.length).toBeGreaterThan(0);
        expect(profile.binary !== null).toBe(testCase.expected.binary !== undefined);
        expect(profile.counts).toEqual(e.counts);
      } else {
        const profile = buildProfile(categoricalSample(testCase.reference), {
          kind: "categorical",
        });
        expect(profile.categories).toEqual(testCase.expected.categories);
        expect(profile.hasOther).toBe(testCase.expected.hasOther);
        expect(profile.counts).toEqual(e.counts);
        expect(profile.binary !== null).toBe(testCase.expected.binary !== undefined);
      }
    });
  }
});

describe("buildProfile", () => {
  it("uses NumPy's inverted_cdf deciles and drops duplicate edges", () => {
    expect(decileEdges(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(decileEdges(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]))).toEqual([0, 1]);
    expect(decileEdges(new Float64Array(0))).toEqual([]);
  });

  it("uses value bins only with <= 20 values and >= 5 rows per value on average, or two values", () => {
    const discrete = Array.from({ length: 100 }, (_, i) => i % 10);
    expect(buildProfile(discrete, { kind: "numeric" }).bins).toEqual({
      type: "value",
      values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    });
    const small = Array.from({ length: 20 }, (_, i) => i / 3);
    expect(buildProfile(small, { kind: "numeric" }).bins.type).toBe("quantile");
    const rareBinary = [...new Array<number>(97).fill(0), 1, 1, 1];
    const profile = buildProfile(rareBinary, { kind: "numeric" });
    expect(profile.bins).toEqual({ type: "value", values: [0, 1] });
    expect(profile.counts).toEqual([97, 3, 0]);
  });

  it("uses value bins for a Poisson-like count with rare values: 5 rows per value on average", () => {
    // 11 distinct values over 1,000 rows; 9 and 10 are rare (2 rows and 1 row).
    const rowsPerValue = [30, 110, 190, 210, 180, 130, 80, 40, 27, 2, 1];
    const counts = rowsPerValue.flatMap((rows, value) => new Array<number>(rows).fill(value));
    const profile = buildProfile(counts, { kind: "numeric" });
    expect(profile.bins).toEqual({ type: "value", values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(profile.counts).toEqual([...rowsPerValue, 0]);
    // Below 5 x distinct rows, decile bins: 11 values over 54 rows.
    const few = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((value) =>
      new Array<number>(value === 0 ? 4 : 5).fill(value),
    );
    expect(few).toHaveLength(54);
    expect(buildProfile(few, { kind: "numeric" }).bins.type).toBe("quantile");
    expect(buildProfile([...few, 10], { kind: "numeric" }).bins.type).toBe("value");
  });

  it("counts null, NaN and infinities as missing", () => {
    const profile = buildProfile([1, null, Number.NaN, Number.NEGATIVE_INFINITY, 2, 3], {
      kind: "numeric",
    });
    expect(profile.n).toBe(3);
    expect(profile.missing).toBe(3);
  });

  it("gives a typed empty profile for empty or all-missing input", () => {
    for (const values of [[], [null, Number.NaN]]) {
      const profile = buildProfile(values, { kind: "numeric" });
      expect(profile).toMatchObject({
        n: 0,
        min: null,
        mean: null,
        std: null,
        sorted: null,
        counts: [0],
      });
      const categorical = buildProfile(
        values.map(() => null),
        { kind: "categorical" },
      );
      expect(categorical).toMatchObject({ n: 0, counts: [0], categories: [] });
    }
  });

  it("keeps the sorted reference up to maxSortedValues, a quantile sketch above", () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i));
    const small = buildProfile(values, { kind: "numeric" });
    expect(small.sorted).toHaveLength(5000);
    const sketched = buildProfile(values, {
      kind: "numeric",
      maxSortedValues: 1000,
      sketchSize: 256,
    });
    expect(sketched.sorted).toBeNull();
    expect(sketched.sketch?.quantiles).toHaveLength(256);
    expect(sketched.sketch?.dErrorBound).toBe(1 / 256);
  });

  it("keeps the top 100 categories, merges the rest into other, and adds an OOV bin", () => {
    const values = Array.from({ length: 3000 }, (_, i) => `k${i % 150}`);
    const profile = buildProfile(values, { kind: "categorical" });
    expect(profile.categories).toHaveLength(100);
    expect(profile.hasOther).toBe(true);
    expect(profile.counts).toHaveLength(102);
    expect(profile.counts[100]).toBe(50 * 20);
    expect(profile.counts[101]).toBe(0);
    expect(profile.referenceCategories).toHaveLength(150);
  });

  it("calibrates thresholds on reference chunks", () => {
    const values = Array.from({ length: 2000 }, (_, i) => Math.sin(i * 1.7) + (i % 7));
    const profile = buildProfile(values, { kind: "numeric", calibrationWindow: 200 });
    expect(profile.calibration?.chunks).toBe(10);
    expect(profile.calibration?.jsDistance.mean).toBeGreaterThan(0);
    expect(buildProfile([1, 2, 3], { kind: "numeric" }).calibration).toBeNull();
  });

  it("round-trips through JSON", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)), {
          maxLength: 300,
        }),
        fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null)), { maxLength: 300 }),
        (numbers, strings) => {
          // JSON has no negative zero, so the generated values are +0-normalised (x + 0).
          const values = numbers.map((x) => (x === null ? null : x + 0));
          const numeric = buildProfile(values, { kind: "numeric" });
          expect(JSON.parse(JSON.stringify(numeric))).toEqual(numeric);
          const categorical = buildProfile(strings, { kind: "categorical" });
          expect(JSON.parse(JSON.stringify(categorical))).toEqual(categorical);
        },
      ),
      { numRuns: 50 },
    );
  });
});
