import { describe, expect, it } from "vitest";

import { aggregateMinuteRollups, LOW_CONFIDENCE_SCORE, type RollupInput } from "./minute-rollups";

function input(overrides: Partial<RollupInput> = {}): RollupInput {
  return {
    modelId: "m1",
    version: "1",
    deployment: "stable",
    ts: new Date("2024-06-01T12:00:30.500Z"),
    score: null,
    latencyMs: null,
    status: "ok",
    ...overrides,
  };
}

describe("aggregateMinuteRollups", () => {
  it("sums one minute's records and counts low confidence strictly below the threshold", () => {
    const [rollup, ...rest] = aggregateMinuteRollups(
      [
        input({ score: LOW_CONFIDENCE_SCORE }),
        input({ score: 0.59, latencyMs: 10 }),
        input({ status: "error", latencyMs: 5, ts: new Date("2024-06-01T12:00:59.999Z") }),
      ],
      [input()],
    );
    expect(rest).toEqual([]);
    expect(rollup).toMatchObject({
      modelId: "m1",
      minute: new Date("2024-06-01T12:00:00Z"),
      version: "1",
      deployment: "stable",
      count: 3,
      scoreCount: 2,
      scoreSum: 1.19,
      lowConfidenceCount: 1,
      errorCount: 1,
      latencyCount: 2,
      latencySumMs: 15,
      duplicateCount: 1,
      unknownFeatureCount: 0,
      typeMismatchCount: 0,
      partialCount: 0,
    });
    // Scores 0.6 and 0.59 fall in bins 12 and 11 of 20; latencies 10 and 5 ms in the 10 and 5 buckets.
    expect(rollup?.scoreHistogram.reduce((a, b) => a + b, 0)).toBe(2);
    expect(rollup?.scoreHistogram[12]).toBe(1);
    expect(rollup?.scoreHistogram[11]).toBe(1);
    expect(rollup?.latencyHistogram[3]).toBe(1);
    expect(rollup?.latencyHistogram[2]).toBe(1);
  });

  it("splits by minute, version and deployment, sorted so writers lock rows in one order", () => {
    const rollups = aggregateMinuteRollups(
      [
        input({ deployment: "canary" }),
        input({ ts: new Date("2024-06-01T12:01:00Z") }),
        input({ version: "2" }),
        input(),
        input({ ts: new Date("2024-06-01T12:00:00Z") }),
      ],
      [],
    );
    expect(
      rollups.map((r) => [r.minute.toISOString().slice(11, 16), r.version, r.deployment, r.count]),
    ).toEqual([
      ["12:00", "1", "canary", 1],
      ["12:00", "1", "stable", 2],
      ["12:00", "2", "stable", 1],
      ["12:01", "1", "stable", 1],
    ]);
  });

  it("keeps a rollup row for duplicates alone, with a zero count", () => {
    expect(aggregateMinuteRollups([], [input()])).toMatchObject([{ count: 0, duplicateCount: 1 }]);
  });
});
