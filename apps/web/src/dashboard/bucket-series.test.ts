import { describe, expect, it } from "vitest";

import { band, inProgressStart, mergeBucketSeries } from "./bucket-series";

const MINUTE = 60_000;
const bucket = (minute: number, count: number | null, inProgress = false) => ({
  bucketStart: new Date(minute * MINUTE),
  inProgress,
  count,
  p10: count === null ? null : 0.2,
  p90: count === null ? null : 0.9,
});

describe("mergeBucketSeries", () => {
  it("keys each slice's fields and keeps gaps as null", () => {
    const rows = mergeBucketSeries(
      [{ key: "a", buckets: [bucket(0, 4), bucket(1, null), bucket(2, 1, true)] }],
      { count: (b) => b.count, band: (b) => band(b.p10, b.p90) },
    );
    expect(rows).toEqual([
      { t: 0, inProgress: false, "a:count": 4, "a:band": [0.2, 0.9] },
      { t: MINUTE, inProgress: false, "a:count": null, "a:band": null },
      { t: 2 * MINUTE, inProgress: true, "a:count": 1, "a:band": [0.2, 0.9] },
    ]);
    expect(inProgressStart(rows)).toBe(2 * MINUTE);
  });

  it("aligns two slices on bucket starts, even when one saw a newer bucket", () => {
    const rows = mergeBucketSeries(
      [
        { key: "a", buckets: [bucket(0, 1), bucket(1, 2, true)] },
        { key: "b", buckets: [bucket(1, 5), bucket(2, 6, true)] },
      ],
      { count: (b) => b.count },
    );
    expect(
      rows.map((row) => [row.t / MINUTE, row["a:count"], row["b:count"], row.inProgress]),
    ).toEqual([
      [0, 1, null, false],
      [1, 2, 5, true],
      [2, null, 6, true],
    ]);
  });
});
