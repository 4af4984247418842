import { describe, expect, it } from "vitest";

import { isolatedPoints, sparklinePath } from "./sparkline-path";

describe("sparklinePath", () => {
  it("scales the largest value to the top and zero to the bottom", () => {
    expect(sparklinePath([0, 5, 10], 100, 20)).toBe("M0,20 L50,10 L100,0");
  });

  it("lifts the pen at a gap instead of drawing down to zero", () => {
    expect(sparklinePath([10, null, 10], 100, 20)).toBe("M0,0 M100,0");
  });

  it("draws a flat line on the floor when every value is zero", () => {
    expect(sparklinePath([0, 0], 10, 20)).toBe("M0,20 L10,20");
  });

  it("scales to a given maximum", () => {
    expect(sparklinePath([null, 5], 10, 20, 10)).toBe("M10,10");
  });
});

describe("isolatedPoints", () => {
  it("finds values with a gap on both sides, placed like the path's points", () => {
    expect(isolatedPoints([null, 5, null, 10, 10], 100, 20)).toEqual([{ x: 25, y: 10 }]);
  });
});
