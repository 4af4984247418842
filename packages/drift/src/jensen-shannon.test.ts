import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binnedFixture } from "../test/binned-fixture";
import { expectStatistic } from "../test/fixtures";
import { jensenShannon } from "./jensen-shannon";

const counts = fc.array(fc.tuple(fc.nat(500), fc.nat(500)), { minLength: 1, maxLength: 30 });

describe("jensenShannon", () => {
  it("matches scipy.spatial.distance.jensenshannon(base=2)", () => {
    for (const c of binnedFixture.cases) {
      const result = jensenShannon(c.reference, c.current);
      expectStatistic(result.distance, c.jsDistance, "distance");
      expectStatistic(result.divergence, c.jsDivergence, "divergence");
    }
  });

  it("lies in [0, 1], is symmetric, and is 0 on identical distributions", () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 1, max: 5 }), (pairs, scale) => {
        const a = pairs.map(([x]) => x + 1);
        const b = pairs.map(([, y]) => y + 1);
        const ab = jensenShannon(a, b).distance;
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(Math.abs(ab - jensenShannon(b, a).distance)).toBeLessThanOrEqual(1e-12);
        expect(
          jensenShannon(
            a,
            a.map((x) => x * scale),
          ).distance,
        ).toBeLessThanOrEqual(1e-7);
      }),
    );
  });

  it("reaches 1 on disjoint supports and 0 on empty windows", () => {
    expect(jensenShannon([1, 0], [0, 1]).distance).toBe(1);
    expect(jensenShannon([0, 0], [0, 1])).toEqual({ distance: 0, divergence: 0 });
  });
});
