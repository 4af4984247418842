import { describe, expect, it } from "vitest";

import { dueBucketEnds, latestBucketEnd } from "./bucket-schedule";

describe("bucket schedule", () => {
  const now = new Date("2026-12-04T10:07:30Z");

  it("aligns bucket ends to the epoch", () => {
    expect(latestBucketEnd(now, 60).toISOString()).toBe("2026-12-04T10:00:00.000Z");
    expect(latestBucketEnd(now, 5).toISOString()).toBe("2026-12-04T10:05:00.000Z");
    expect(latestBucketEnd(now, 1440).toISOString()).toBe("2026-12-04T00:00:00.000Z");
  });

  it("lists the buckets since the last evaluation, oldest first", () => {
    const due = dueBucketEnds({
      now,
      bucketMinutes: 5,
      lastEvaluated: new Date("2026-12-04T09:55:00Z"),
      maxCatchUp: 3,
    });
    expect(due.map((end) => end.toISOString())).toEqual([
      "2026-12-04T10:00:00.000Z",
      "2026-12-04T10:05:00.000Z",
    ]);
  });

  it("is empty when the latest bucket is evaluated, and catches up a couple at most", () => {
    expect(
      dueBucketEnds({
        now,
        bucketMinutes: 60,
        lastEvaluated: latestBucketEnd(now, 60),
        maxCatchUp: 3,
      }),
    ).toEqual([]);
    const afterDowntime = dueBucketEnds({
      now,
      bucketMinutes: 60,
      lastEvaluated: new Date("2026-12-01T00:00:00Z"),
      maxCatchUp: 2,
    });
    expect(afterDowntime.map((end) => end.toISOString())).toEqual([
      "2026-12-04T09:00:00.000Z",
      "2026-12-04T10:00:00.000Z",
    ]);
    expect(
      dueBucketEnds({ now, bucketMinutes: 60, lastEvaluated: null, maxCatchUp: 1 }),
    ).toHaveLength(1);
  });
});
