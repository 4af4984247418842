import { describe, expect, it } from "vitest";
import { readFixture } from "../test/fixtures";
import { logGamma } from "./log-gamma";

const { logGamma: cases } = readFixture<{ logGamma: [number, number][] }>("special-functions.json");

describe("logGamma", () => {
  it("matches math.lgamma to 1e-13 relative", () => {
    for (const [x, expected] of cases) {
      expect(Math.abs(logGamma(x) - expected)).toBeLessThanOrEqual(
        1e-13 * Math.max(1, Math.abs(expected)),
      );
    }
  });

  it("is NaN outside its domain", () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});
