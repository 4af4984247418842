import { describe, expect, it } from "vitest";

import { toReliabilityPoints } from "./reliability-diagram";

describe("toReliabilityPoints", () => {
  it("joins series on the predicted value and skips bins without labelled rows", () => {
    const points = toReliabilityPoints([
      {
        key: "a",
        label: "v1",
        bins: [
          { lower: 0.8, upper: 0.9, predicted: 0.85, observed: 0.7, count: 20 },
          { lower: 0, upper: 0.1, predicted: 0.05, observed: 0.1, count: 10 },
          { lower: 0.1, upper: 0.2, predicted: 0.15, observed: null, count: 0 },
        ],
      },
      {
        key: "b",
        label: "v2",
        bins: [{ lower: 0.8, upper: 0.9, predicted: 0.85, observed: 0.8, count: 5 }],
      },
    ]);
    expect(points).toEqual([
      { x: 0.05, a: 0.1, "a:count": 10 },
      { x: 0.85, a: 0.7, "a:count": 20, b: 0.8, "b:count": 5 },
    ]);
  });
});
