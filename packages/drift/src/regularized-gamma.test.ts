import { describe, expect, it } from "vitest";
import { regularizedGammaP, regularizedGammaQ } from "./regularized-gamma";

describe("regularized incomplete gamma", () => {
  it("has the closed form of a = 1", () => {
    for (const x of [0.01, 0.5, 1, 2, 10, 50]) {
      expect(regularizedGammaQ(1, x)).toBeCloseTo(Math.exp(-x), 14);
      expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14);
    }
  });

  it("P + Q = 1 on both sides of the series / continued fraction switch", () => {
    for (const a of [0.5, 3, 40, 500]) {
      for (const x of [a / 2, a + 0.5, a + 1, a + 2, 2 * a]) {
        expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 13);
      }
    }
  });

  it("handles the domain edges without throwing", () => {
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaQ(0, 1)).toBeNaN();
  });
});
