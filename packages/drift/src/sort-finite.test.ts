import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortFinite } from "./sort-finite";

describe("sortFinite", () => {
  it("drops missing values and sorts like a numeric sort, radix path included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constant(null)), { minLength: 0, maxLength: 5000 }),
        (values) => {
          const expected = values
            .filter((x): x is number => x !== null && Number.isFinite(x))
            .sort((a, b) => a - b);
          expect(Array.from(sortFinite(values))).toEqual(expected);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("sorts large arrays with repeated and signed values", () => {
    const values = Float64Array.from(
      { length: 10000 },
      (_, i) => ((i * 7919) % 201) - 100 + (i % 3) * 1e-9,
    );
    const sorted = sortFinite(values);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! >= sorted[i - 1]!).toBe(true);
  });
});
