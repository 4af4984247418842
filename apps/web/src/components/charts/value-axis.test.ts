import { describe, expect, it } from "vitest";

import { niceCeiling, niceTicks } from "./value-axis";

describe("niceCeiling", () => {
  it("rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceCeiling(0.2981)).toBe(0.5);
    expect(niceCeiling(0.503)).toBe(1);
    expect(niceCeiling(0.19)).toBe(0.2);
    expect(niceCeiling(0.24)).toBe(0.25);
    expect(niceCeiling(3_400)).toBe(5_000);
    expect(niceCeiling(0)).toBe(0);
  });
});

describe("niceTicks", () => {
  it("spaces round ticks from zero to the nice ceiling", () => {
    expect(niceTicks(0.2981)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0.503)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(0.19)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    expect(niceTicks(0)).toEqual([0]);
  });
});
