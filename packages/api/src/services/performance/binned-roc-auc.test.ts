import { describe, expect, it } from "vitest";

import { rocAucFromBins } from "./binned-roc-auc";

describe("rocAucFromBins", () => {
  it("counts pairs in one bin as ties (Mann-Whitney by hand)", () => {
    // Positives in bins 1, 3, 3; negatives in bins 0, 1, 2. The two positives of bin 3 beat
    // all three negatives (6 pairs); the positive of bin 1 beats bin 0, ties bin 1 and loses
    // to bin 2 (1.5). AUC = 7.5 / 9.
    expect(rocAucFromBins([0, 1, 0, 2], [1, 1, 1, 0])).toBeCloseTo(7.5 / 9, 12);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one and 1/2 when all share a bin", () => {
    expect(rocAucFromBins([0, 0, 3], [2, 0, 0])).toBe(1);
    expect(rocAucFromBins([2, 0, 0], [0, 0, 3])).toBe(0);
    expect(rocAucFromBins([0, 4, 0], [0, 5, 0])).toBe(0.5);
  });

  it("is null without positives or without negatives", () => {
    expect(rocAucFromBins([0, 0], [1, 2])).toBeNull();
    expect(rocAucFromBins([1, 2], [0, 0])).toBeNull();
    expect(rocAucFromBins([], [])).toBeNull();
  });
});
