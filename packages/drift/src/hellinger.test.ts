import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binnedFixture } from "../test/binned-fixture";
import { expectStatistic } from "../test/fixtures";
import { hellinger } from "./hellinger";

describe("hellinger", () => {
  it("matches the NumPy formula", () => {
    for (const c of binnedFixture.cases) {
      expectStatistic(hellinger(c.reference, c.current), c.hellinger, "hellinger");
    }
  });

  it("lies in [0, 1], is symmetric, and is 0 on identical counts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(500), fc.nat(500)), { minLength: 1, maxLength: 30 }),
        (pairs) => {
          const a = pairs.map(([x]) => x + 1);
          const b = pairs.map(([, y]) => y + 1);
          const h = hellinger(a, b);
          expect(h).toBeGreaterThanOrEqual(0);
          expect(h).toBeLessThanOrEqual(1);
          expect(hellinger(b, a)).toBeCloseTo(h, 14);
          expect(hellinger(a, a)).toBe(0);
        },
      ),
    );
  });
});
