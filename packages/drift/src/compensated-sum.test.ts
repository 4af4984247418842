import { describe, expect, it } from "vitest";
import { CompensatedSum, sumCompensated } from "./compensated-sum";

describe("compensated sums", () => {
  it("recovers what naive summation loses", () => {
    const sum = new CompensatedSum();
    for (const x of [1e16, 1, -1e16]) sum.add(x);
    expect(sum.value()).toBe(1);
    expect(sumCompensated([1e100, 1, -1e100, 1])).toBe(2);
    expect(sumCompensated(new Array<number>(10).fill(0.1))).toBe(1);
  });
});
