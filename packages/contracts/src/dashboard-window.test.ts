import { describe, expect, it } from "vitest";

import {
  bucketStarts,
  chooseBucketMs,
  DashboardRange,
  MAX_BUCKETS,
  RANGE_PRESET_MS,
  RANGE_PRESETS,
  resolveWindow,
} from "./dashboard-window";

const MINUTE = 60_000;

describe("chooseBucketMs", () => {
  it("picks the finest step that keeps every preset within the bucket cap", () => {
    expect(RANGE_PRESETS.map((preset) => chooseBucketMs(RANGE_PRESET_MS[preset]) / MINUTE)).toEqual(
      [1, 1, 5, 15, 60, 360],
    );
    for (const preset of RANGE_PRESETS) {
      const span = RANGE_PRESET_MS[preset];
      expect(Math.ceil(span / chooseBucketMs(span))).toBeLessThanOrEqual(MAX_BUCKETS);
    }
  });
});

describe("resolveWindow", () => {
  it("aligns a preset to buckets and flags the bucket in progress", () => {
    const now = new Date("2026-12-04T10:07:30Z");
    const window = resolveWindow({ preset: "1h" }, now);
    expect(window.bucketMs).toBe(MINUTE);
    expect(window.from.toISOString()).toBe("2026-12-04T09:07:00.000Z");
    expect(window.to.toISOString()).toBe("2026-12-04T10:08:00.000Z");
    expect(window.inProgressBucket?.toISOString()).toBe("2026-12-04T10:07:00.000Z");
    const starts = bucketStarts(window);
    expect(starts).toHaveLength(61);
    expect(starts.at(-1)?.toISOString()).toBe("2026-12-04T10:07:00.000Z");
  });

  it("widens a custom past range to whole buckets and flags nothing in progress", () => {
    const window = resolveWindow(
      { from: new Date("2026-11-01T00:03:00Z"), to: new Date("2026-11-02T00:00:00Z") },
      new Date("2026-12-04T10:00:00Z"),
    );
    expect(window.bucketMs).toBe(15 * MINUTE);
    expect(window.from.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(window.to.toISOString()).toBe("2026-11-02T00:15:00.000Z");
    expect(window.inProgressBucket).toBeNull();
  });
});

describe("DashboardRange", () => {
  it("refuses a range that ends before it starts, or spans more than 90 days", () => {
    expect(
      DashboardRange.safeParse({ from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" })
        .success,
    ).toBe(false);
    expect(
      DashboardRange.safeParse({ from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z" })
        .success,
    ).toBe(false);
    expect(DashboardRange.safeParse({ preset: "7d" }).success).toBe(true);
  });
});
