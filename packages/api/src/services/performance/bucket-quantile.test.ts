import { describe, expect, it } from "vitest";

import { quantileFromBucketCounts } from "./bucket-quantile";

describe("quantileFromBucketCounts", () => {
  const bounds = [10, 20, 50];

  it("interpolates inside the bucket that holds the quantile", () => {
    // 5 values: 2 in [0, 10], 2 in (10, 20], 1 above 50.
    const counts = [2, 2, 0, 1];
    // p20: target 1 of 5, half-way through the first bucket's 2 values.
    expect(quantileFromBucketCounts(bounds, counts, 0.2)).toBe(5);
    // p50: target 2.5, 0.5 of the second bucket's 2 values: 10 + 10 * 0.25.
    expect(quantileFromBucketCounts(bounds, counts, 0.5)).toBe(12.5);
  });

  it("reports a quantile in the open last bucket as the largest bound", () => {
    expect(quantileFromBucketCounts(bounds, [2, 2, 0, 1], 0.9)).toBe(50);
  });

  it("is null for an empty histogram", () => {
    expect(quantileFromBucketCounts(bounds, [0, 0, 0, 0], 0.5)).toBeNull();
    expect(quantileFromBucketCounts(bounds, [], 0.5)).toBeNull();
  });
});
