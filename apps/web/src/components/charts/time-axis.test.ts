import { describe, expect, it } from "vitest";

import { chooseTimeTicks, formatBucketSpan, formatTimeTick } from "./time-axis";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// 2026-03-03T00:00:00Z, a round day in UTC.
const MIDNIGHT = Date.UTC(2026, 2, 3);

describe("chooseTimeTicks", () => {
  it("ticks every 10 minutes on an hour of minute buckets", () => {
    const starts = Array.from({ length: 60 }, (_, i) => MIDNIGHT + i * MINUTE);
    const ticks = chooseTimeTicks(starts, MINUTE);
    expect(ticks.map((t) => (t - MIDNIGHT) / MINUTE)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it("ticks on whole days over 30 days of 6-hour buckets, at most 8 of them", () => {
    const starts = Array.from({ length: 120 }, (_, i) => MIDNIGHT + i * 6 * HOUR);
    const ticks = chooseTimeTicks(starts, 6 * HOUR);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.every((t) => t % DAY === 0)).toBe(true);
  });

  it("returns nothing for an empty window", () => {
    expect(chooseTimeTicks([], MINUTE)).toEqual([]);
  });
});

describe("time labels", () => {
  it("shows a day for daily buckets and a clock time otherwise", () => {
    expect(formatTimeTick(MIDNIGHT, DAY)).toMatch(/3 Mar/);
    expect(formatTimeTick(MIDNIGHT + 90 * MINUTE, MINUTE)).toMatch(/^\d\d:\d\d$/);
  });

  it("gives a bucket's span in a tooltip title", () => {
    expect(formatBucketSpan(MIDNIGHT, DAY)).toMatch(/3 Mar/);
    expect(formatBucketSpan(MIDNIGHT, 5 * MINUTE)).toContain("–");
  });
});
