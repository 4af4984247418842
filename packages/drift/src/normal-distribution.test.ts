import { describe, expect, it } from "vitest";
import { expectPValue, readFixture } from "../test/fixtures";
import { normalSurvival, normalTwoSidedPValue } from "./normal-distribution";

const { normalTwoSided } = readFixture<{ normalTwoSided: [number, number][] }>(
  "special-functions.json",
);

describe("normalTwoSidedPValue", () => {
  it("matches 2 * scipy.stats.norm.sf(|z|), deep into the tail", () => {
    for (const [z, expected] of normalTwoSided) {
      expectPValue(normalTwoSidedPValue(z), expected, `z = ${z}`);
    }
  });

  it("normalSurvival is symmetric around 1/2", () => {
    for (const z of [0.1, 1, 2.5])
      expect(normalSurvival(z) + normalSurvival(-z)).toBeCloseTo(1, 15);
  });
});
