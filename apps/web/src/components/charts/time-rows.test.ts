import { describe, expect, it } from "vitest";

import {
  buildTimeRows,
  hasAnyValue,
  isolatedIndices,
  LIVE_SUFFIX,
  splitInProgress,
  timeDomain,
} from "./time-rows";

const MINUTE = 60_000;
const starts = [0, 1, 2, 3].map((i) => new Date(i * MINUTE));

describe("buildTimeRows", () => {
  it("keeps a missing bucket as null (a gap) and flags the bucket in progress", () => {
    const rows = buildTimeRows(starts, { count: [5, null, 7] }, new Date(3 * MINUTE));
    expect(rows).toEqual([
      { t: 0, inProgress: false, count: 5 },
      { t: MINUTE, inProgress: false, count: null },
      { t: 2 * MINUTE, inProgress: false, count: 7 },
      { t: 3 * MINUTE, inProgress: true, count: null },
    ]);
  });

  it("keeps [low, high] bands as they are", () => {
    const rows = buildTimeRows(starts.slice(0, 1), { band: [[0.2, 0.8]] }, null);
    expect(rows[0]?.band).toEqual([0.2, 0.8]);
  });
});

describe("splitInProgress", () => {
  it("ends the solid series at the last complete bucket and draws the last segment apart", () => {
    const rows = buildTimeRows(starts, { count: [5, 6, 7, 2] }, new Date(3 * MINUTE));
    const split = splitInProgress(rows, ["count"]);
    expect(split.map((row) => row.count)).toEqual([5, 6, 7, null]);
    expect(split.map((row) => row[`count${LIVE_SUFFIX}`])).toEqual([null, null, 7, 2]);
  });

  it("changes nothing in a past window", () => {
    const rows = buildTimeRows(starts, { count: [5, 6, 7, 2] }, null);
    const split = splitInProgress(rows, ["count"]);
    expect(split.map((row) => row.count)).toEqual([5, 6, 7, 2]);
    expect(split[0]).not.toHaveProperty(`count${LIVE_SUFFIX}`);
  });
});

describe("isolatedIndices", () => {
  it("finds values with a gap on both sides", () => {
    const rows = buildTimeRows(starts, { count: [5, null, 7, null] }, null);
    expect([...isolatedIndices(rows, "count")]).toEqual([0, 2]);
  });
});

describe("timeDomain and hasAnyValue", () => {
  it("widens the domain by half a bucket on both ends", () => {
    const rows = buildTimeRows(starts, { count: [1, 1, 1, 1] }, null);
    expect(timeDomain(rows, MINUTE)).toEqual([-MINUTE / 2, 3.5 * MINUTE]);
  });

  it("reports a window with only gaps as empty", () => {
    const rows = buildTimeRows(starts, { count: [null, null] }, null);
    expect(hasAnyValue(rows, ["count"])).toBe(false);
    expect(hasAnyValue(buildTimeRows(starts, { count: [0] }, null), ["count"])).toBe(true);
  });
});
