import { describe, expect, it } from "vitest";
import { buildProfile } from "./build-profile";
import { compareCounts } from "./compare-counts";
import { datasetDrift } from "./dataset-drift";

const profile = buildProfile(
  Array.from({ length: 1000 }, (_, i) => `c${i % 4}`),
  { kind: "categorical" },
);
const ok = compareCounts(profile, [250, 250, 250, 250, 0]);
const alert = compareCounts(profile, [700, 100, 100, 100, 0]);
const noData = compareCounts(profile, [0, 0, 0, 0, 0]);

describe("datasetDrift", () => {
  it("is the share of features at alert, over features with data", () => {
    const result = datasetDrift({ a: alert, b: ok, c: noData });
    expect(result.share).toBe(0.5);
    expect(result.drift).toBe(true);
    expect(result.features).toBe(2);
    expect(result.noData).toEqual(["c"]);
    expect(result.alerted).toEqual(["a"]);
    expect(datasetDrift({ a: alert, b: ok, d: ok }).drift).toBe(false);
  });

  it("weights features by importance", () => {
    const result = datasetDrift({ a: alert, b: ok, d: ok }, { weights: { a: 3 } });
    expect(result.share).toBe(0.6);
    expect(result.drift).toBe(true);
  });

  it("adjusts gate p-values with Benjamini-Hochberg when asked", () => {
    const result = datasetDrift({ a: alert, b: ok }, { benjaminiHochberg: true });
    expect(result.adjustedPvalues?.a).toBeLessThan(0.05);
    expect(result.adjustedPvalues?.b).toBe(1);
    expect(result.alerted).toEqual(["a"]);
  });

  it("does not drift without features or data", () => {
    expect(datasetDrift({})).toMatchObject({ share: 0, drift: false, features: 0 });
    expect(datasetDrift({ c: noData }).drift).toBe(false);
  });
});
