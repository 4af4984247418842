import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ksStatisticSorted, ksStatisticUnsorted } from "./ks-statistic";
import { sortFinite } from "./sort-finite";

const value = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, -0, 1e300, -1e300),
);
const sample = fc.array(value, { minLength: 1, maxLength: 400 });

describe("ksStatisticUnsorted", () => {
  it("equals the full sorted merge exactly: statistic, location and sign", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const sortedA = sortFinite(a);
        const sortedB = sortFinite(b);
        if (sortedA.length === 0 || sortedB.length === 0) return;
        const bucketed = ksStatisticUnsorted(a, b);
        const merged = ksStatisticSorted(sortedA, sortedB);
        expect(bucketed.statistic).toBe(merged.statistic);
        expect(bucketed.location === merged.location).toBe(true);
        expect(bucketed.sign).toBe(merged.sign);
      }),
      { numRuns: 300 },
    );
  });

  it("equals the merge on large samples with ties and heavy tails", () => {
    const a = Float64Array.from(
      { length: 50000 },
      (_, i) => Math.round(Math.tan(i * 0.7) * 10) / 10,
    );
    const b = Float64Array.from(
      { length: 40000 },
      (_, i) => Math.round(Math.tan(i * 0.3 + 0.1) * 10) / 10,
    );
    expect(ksStatisticUnsorted(a, b)).toMatchObject(
      ksStatisticSorted(sortFinite(a), sortFinite(b)),
    );
  });

  it("reports empty samples with zero sizes", () => {
    expect(ksStatisticUnsorted([Number.NaN], [1])).toMatchObject({ n1: 0, n2: 1, statistic: 0 });
  });
});
