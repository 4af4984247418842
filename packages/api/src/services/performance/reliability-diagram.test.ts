import { describe, expect, it } from "vitest";

import { reliabilityPoints } from "./reliability-diagram";

describe("reliabilityPoints", () => {
  it("gives the mean score and the positive share of every non-empty bin", () => {
    const points = reliabilityPoints([0, 0, 3, 1], [0, 2, 1, 0], [0, 0.6, 2.4, 0.9]);
    expect(points).toEqual([
      { bin: 1, lower: 0.25, upper: 0.5, count: 2, meanScore: 0.3, positiveShare: 0 },
      { bin: 2, lower: 0.5, upper: 0.75, count: 4, meanScore: 0.6, positiveShare: 0.75 },
      { bin: 3, lower: 0.75, upper: 1, count: 1, meanScore: 0.9, positiveShare: 1 },
    ]);
  });
});
