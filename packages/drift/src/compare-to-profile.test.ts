import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectPValue, expectStatistic } from "../test/fixtures";
import { profileCases } from "../test/profile-fixture";
import type { CommonExpected } from "../test/profile-fixture";
import { categoricalSample, numericSample } from "../test/sample-data";
import { buildProfile } from "./build-profile";
import { compareToProfile } from "./compare-to-profile";
import type { BinnedStatistics, FeatureDrift } from "./types";

function checkBinned(actual: BinnedStatistics, expected: CommonExpected): void {
  const b = expected.binned;
  expect(actual.refCounts).toEqual(expected.counts);
  expect(actual.curCounts).toEqual(expected.curCounts);
  expectStatistic(actual.psi, b.psi, "psi");
  expectStatistic(actual.psiEpsFloor, b.psiEpsFloor, "psiEpsFloor");
  expectStatistic(actual.jsDistance, b.jsDistance, "jsDistance");
  expectStatistic(actual.jsDivergence, b.jsDivergence, "jsDivergence");
  expectStatistic(actual.hellinger, b.hellinger, "hellinger");
  expectStatistic(actual.chi2.statistic, b.chi2.statistic, "binned chi2");
  expect(actual.chi2.dof).toBe(b.chi2.dof);
  expectPValue(actual.chi2.pvalue, b.chi2.pvalue, "binned chi2 p");
}

function checkCommon(drift: FeatureDrift, e: CommonExpected): void {
  checkBinned(drift.binned, e);
  expectStatistic(drift.missing.nullShareRef, e.missingTest.nullShareRef, "nullShareRef");
  expectStatistic(drift.missing.nullShareCur, e.missingTest.nullShareCur, "nullShareCur");
  expectStatistic(drift.missing.z, e.missingTest.z, "z");
  expectPValue(drift.missing.pvalue, e.missingTest.pvalue, "missing p");
  if (e.binary) {
    expect(drift.primary).toBe("binary");
    expectStatistic(drift.binary?.shareRef ?? Number.NaN, e.binary.shareRef, "shareRef");
    expectStatistic(drift.binary?.shareCur ?? Number.NaN, e.binary.shareCur, "shareCur");
    expectStatistic(drift.binary?.chi2 ?? Number.NaN, e.binary.chi2, "binary chi2");
    expectPValue(drift.binary?.pvalue ?? Number.NaN, e.binary.pvalue, "binary p");
  } else {
    expect(drift.primary).toBe("js_distance");
    expect(drift.binary).toBeNull();
  }
}

describe("compareToProfile against SciPy", () => {
  for (const testCase of profileCases) {
    it(testCase.name, () => {
      if (testCase.kind === "numeric") {
        const e = testCase.expected;
        const profile = buildProfile(numericSample(testCase.reference), { kind: "numeric" });
        const drift = compareToProfile(profile, numericSample(testCase.current));
        checkCommon(drift, e);
        if (e.ks) {
          expectStatistic(drift.ks?.statistic ?? Number.NaN, e.ks.statistic, "D");
          expectPValue(drift.ks?.pvalue ?? Number.NaN, e.ks.pvalue, "KS p");
          expect(drift.ks?.location).toBe(e.ks.location);
          expect(drift.ks?.sign).toBe(e.ks.sign);
        }
        if (e.wasserstein) {
          expectStatistic(drift.wasserstein?.w1 ?? Number.NaN, e.wasserstein.w1, "w1");
          expectStatistic(
            drift.wasserstein?.w1NormStd ?? Number.NaN,
            e.wasserstein.w1NormStd,
            "w1 norm",
          );
        }
      } else {
        const e = testCase.expected;
        const profile = buildProfile(categoricalSample(testCase.reference), {
          kind: "categorical",
        });
        const drift = compareToProfile(profile, categoricalSample(testCase.current));
        checkCommon(drift, e);
        expectStatistic(drift.chi2.statistic, e.chi2.statistic, "chi2");
        expect(drift.chi2.dof).toBe(e.chi2.dof);
        expectPValue(drift.chi2.pvalue, e.chi2.pvalue, "chi2 p");
        expectStatistic(drift.chi2.cramersV, e.chi2.cramersV, "V");
        expectStatistic(drift.tvd, e.tvd, "tvd");
        expectStatistic(drift.linf, e.linf, "linf");
        expect(drift.unseen.categories).toEqual(e.unseen.categories);
        drift.unseen.shares.forEach((s, i) =>
          expectStatistic(s, e.unseen.shares[i] as number, "share"),
        );
        expectStatistic(drift.unseen.shareCur, e.unseen.shareCur, "unseen share");
        expect(drift.vanished).toEqual(e.vanished);
        expect(drift.signals.newCategory).toBe(e.unseen.categories.length > 0);
      }
    });
  }
});

describe("compareToProfile decisions", () => {
  const reference = Array.from(
    { length: 4000 },
    (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1,
  );

  it("is ok (not inconclusive) for a large window of the same distribution", () => {
    const profile = buildProfile(reference, { kind: "numeric" });
    const drift = compareToProfile(profile, reference.slice().reverse());
    expect(drift.status).toBe("ok");
    expect(drift.binned.jsDistance).toBe(0);
    expect(drift.ks?.statistic).toBe(0);
  });

  it("alerts on a strong mean shift and reports KS drift", () => {
    const profile = buildProfile(reference, { kind: "numeric" });
    const drift = compareToProfile(
      profile,
      reference.map((x) => x + 0.5),
    );
    expect(drift.status).toBe("alert");
    expect(drift.jsStatus).toBe("alert");
    expect(drift.signals.ks).toBe(true);
  });

  it("reports inconclusive for windows too small to resolve the alert level", () => {
    const profile = buildProfile(reference, { kind: "numeric" });
    const drift = compareToProfile(profile, reference.slice(0, 30));
    expect(drift.status).toBe("inconclusive");
  });

  it("reports no_data for empty, all-missing and non-finite windows, without throwing", () => {
    const profile = buildProfile(reference, { kind: "numeric" });
    for (const current of [[], [null, null], [Number.NaN, Number.POSITIVE_INFINITY]]) {
      const drift = compareToProfile(profile, current);
      expect(drift.status).toBe("no_data");
      expect(drift.ks).toBeNull();
      expect(Number.isNaN(drift.binned.psi)).toBe(false);
    }
    const allMissing = compareToProfile(profile, [null, null, null]);
    expect(allMissing.missing.nullShareCur).toBe(1);
    expect(allMissing.missing.drift).toBe(true);
    const empty = buildProfile([null, null], { kind: "numeric" });
    expect(compareToProfile(empty, [1, 2, 3]).status).toBe("no_data");
    const emptyCategorical = buildProfile([], { kind: "categorical" });
    expect(compareToProfile(emptyCategorical, ["a"]).status).toBe("no_data");
  });

  it("handles a constant reference and a constant current window", () => {
    const profile = buildProfile(new Array<number>(50).fill(3), { kind: "numeric" });
    expect(profile.std).toBe(0);
    const same = compareToProfile(profile, new Array<number>(40).fill(3));
    expect(same.binned.jsDistance).toBe(0);
    expect(same.ks?.pvalue).toBe(1);
    const moved = compareToProfile(profile, new Array<number>(40).fill(4));
    expect(moved.status).toBe("alert");
    expect(moved.wasserstein?.w1NormStd).toBe(1 / 0.001);
  });

  it("flags new categories and missing-share drift", () => {
    const profile = buildProfile(
      Array.from({ length: 1000 }, (_, i) => `c${i % 4}`),
      {
        kind: "categorical",
      },
    );
    const current = Array.from({ length: 1000 }, (_, i) =>
      i % 10 === 0 ? null : i % 5 === 1 ? "new" : `c${i % 4}`,
    );
    const drift = compareToProfile(profile, current);
    expect(drift.unseen.categories).toEqual(["new"]);
    expect(drift.signals.newCategory).toBe(true);
    expect(drift.signals.missing).toBe(true);
    expect(drift.binned.curCounts[4]).toBe(drift.unseen.shareCur * drift.n.current);
  });

  it("uses calibrated thresholds when asked and available", () => {
    const profile = buildProfile(reference, { kind: "numeric", calibrationWindow: 400 });
    const drift = compareToProfile(profile, reference.slice(0, 400), {
      thresholdMode: "calibrated",
    });
    expect(drift.thresholds.mode).toBe("calibrated");
    const c = profile.calibration;
    expect(drift.thresholds.jsAlert).toBeCloseTo(
      (c?.jsDistance.mean ?? 0) + 3 * (c?.jsDistance.sd ?? 0),
      15,
    );
    const fixed = compareToProfile(buildProfile([1, 2], { kind: "numeric" }), [1], {
      thresholdMode: "calibrated",
    });
    expect(fixed.thresholds.mode).toBe("fixed");
  });

  it("compares against a quantile sketch above maxSortedValues, flagged approximate", () => {
    const exact = buildProfile(reference, { kind: "numeric" });
    const sketched = buildProfile(reference, { kind: "numeric", maxSortedValues: 1000 });
    const current = reference.map((x) => x * 1.1);
    const a = compareToProfile(exact, current);
    const b = compareToProfile(sketched, current);
    expect(b.ks?.approximate).toBe(true);
    expect(Math.abs((a.ks?.statistic ?? 0) - (b.ks?.statistic ?? 1))).toBeLessThanOrEqual(
      sketched.sketch?.dErrorBound ?? 0,
    );
    expect(Math.abs((a.wasserstein?.w1 ?? 0) - (b.wasserstein?.w1 ?? 1))).toBeLessThanOrEqual(
      sketched.sketch?.w1ErrorBound ?? 0,
    );
  });

  it("skips KS and Wasserstein with sampleStatistics: false, with the same binned block", () => {
    const profile = buildProfile(reference, { kind: "numeric" });
    const current = reference.map((x) => x + 0.01);
    const fast = compareToProfile(profile, current, { sampleStatistics: false });
    expect(fast.ks).toBeNull();
    expect(fast.binned).toEqual(compareToProfile(profile, current).binned);
  });

  it("is invariant to permutations of the current window", () => {
    const profile = buildProfile(reference, { kind: "numeric" });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (cur) => {
          const a = compareToProfile(profile, cur);
          const b = compareToProfile(profile, [...cur].reverse());
          expect(b.binned).toEqual(a.binned);
          expect(b.ks?.statistic).toBe(a.ks?.statistic);
        },
      ),
      { numRuns: 30 },
    );
  });
});
