import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binnedFixture } from "../test/binned-fixture";
import { expectStatistic } from "../test/fixtures";
import { totalVariation } from "./total-variation";

describe("totalVariation", () => {
  it("matches the NumPy formulas for TVD and L-infinity", () => {
    for (const c of binnedFixture.cases) {
      const result = totalVariation(c.reference, c.current);
      expectStatistic(result.tvd, c.tvd, "tvd");
      expectStatistic(result.linf, c.linf, "linf");
    }
  });

  it("is bounded by 1, symmetric, with linf <= tvd", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(100), fc.nat(100)), { minLength: 1, maxLength: 20 }),
        (pairs) => {
          const a = pairs.map(([x]) => x + 1);
          const b = pairs.map(([, y]) => y);
          const { tvd, linf } = totalVariation(a, b);
          expect(tvd).toBeLessThanOrEqual(1);
          expect(linf).toBeLessThanOrEqual(tvd + 1e-15);
          expect(totalVariation(b, a).tvd).toBeCloseTo(tvd, 14);
        },
      ),
    );
  });
});
