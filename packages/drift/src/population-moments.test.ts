import { describe, expect, it } from "vitest";
import { populationMoments } from "./population-moments";

describe("populationMoments", () => {
  it("gives the mean and the population standard deviation", () => {
    expect(populationMoments([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2 });
  });

  it("is exact for constants and zero for empty input", () => {
    expect(populationMoments([0.1, 0.1, 0.1]).std).toBe(0);
    expect(populationMoments([])).toEqual({ mean: 0, std: 0 });
  });
});
