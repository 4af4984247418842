import { chiSquareHomogeneity, cramersV } from "./chi-square-homogeneity";
import { evaluateCounts } from "./compare-counts";
import { resolveDriftOptions } from "./drift-options";
import type { DriftOptions, ResolvedDriftOptions } from "./drift-options";
import { ksStatisticSorted } from "./ks-statistic";
import { ksPValue } from "./ks-two-sample";
import { missingShareTest } from "./missing-share";
import { categoryBinMap, countNumericBins, countSortedNumericBins } from "./profile-bins";
import { sortFinite } from "./sort-finite";
import { totalVariation } from "./total-variation";
import type {
  CategoricalFeatureDrift,
  CategoricalProfile,
  FeatureDrift,
  NumericFeatureDrift,
  NumericProfile,
  ReferenceProfile,
} from "./types";
import { w1Sorted, WASSERSTEIN_STD_FLOOR } from "./wasserstein";

/**
 * Drift of a current window against a stored reference profile: the full panel of the spec.
 *
 * Every feature: the binned block on the profile's bins (see `compareCounts`), the missing-share
 * test (`missing`), `psiStatus`, `jsStatus`, `primary` and `status`.
 * Numeric: `ks` (D, p-value as SciPy `ks_2samp`, location, sign) and `wasserstein` (W1 and
 * W1 / max(std_ref, 0.001)) against the stored sorted reference; against a quantile sketch they
 * are flagged `approximate` (D within 1/4096, p-value from the true sizes); `binary` for
 * two-valued columns.
 * Categorical: chi-square of homogeneity over the union of categories with Cramer's V, TVD,
 * L-infinity, unseen categories with their shares, vanished categories.
 * `signals` reports the secondary rules (KS, categorical chi-square, new category, missing).
 *
 * Missing values (null, NaN, +/-Infinity for numeric; null for categorical) are excluded from
 * every distribution statistic and counted for the missing test. A window without non-missing
 * values gets status `no_data`; nothing throws on degenerate data.
 *
 * @example
 * import { buildProfile, compareToProfile } from "@plumbline/drift";
 * const reference = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
 * const profile = buildProfile(reference, { kind: "numeric" });
 * const drift = compareToProfile(profile, reference.map((x) => x + 5));
 * drift.status; // "alert"
 */
export function compareToProfile(
  profile: NumericProfile,
  current: ArrayLike<number | null>,
  options?: DriftOptions,
): NumericFeatureDrift;
export function compareToProfile(
  profile: CategoricalProfile,
  current: ArrayLike<string | null>,
  options?: DriftOptions,
): CategoricalFeatureDrift;
export function compareToProfile(
  profile: ReferenceProfile,
  current: ArrayLike<number | string | null>,
  options?: DriftOptions,
): FeatureDrift;
export function compareToProfile(
  profile: ReferenceProfile,
  current: ArrayLike<number | string | null>,
  options: DriftOptions = {},
): FeatureDrift {
  const resolved = resolveDriftOptions(options);
  if (profile.kind === "numeric") {
    return compareNumeric(profile, current as ArrayLike<number | null>, resolved);
  }
  return compareCategorical(profile, current as ArrayLike<string | null>, resolved);
}

const sortedReferenceCache = new WeakMap<NumericProfile, Float64Array>();

function referencePoints(profile: NumericProfile): Float64Array | null {
  const cached = sortedReferenceCache.get(profile);
  if (cached) return cached;
  const points = profile.sorted ?? profile.sketch?.quantiles ?? null;
  if (!points || points.length === 0) return null;
  const array = Float64Array.from(points);
  sortedReferenceCache.set(profile, array);
  return array;
}

function compareNumeric(
  profile: NumericProfile,
  current: ArrayLike<number | null>,
  options: ResolvedDriftOptions,
): NumericFeatureDrift {
  const k = profile.counts.length;
  const counts = new Float64Array(k);
  const reference = options.sampleStatistics ? referencePoints(profile) : null;
  let missing: number;
  let sortedCurrent: Float64Array | null = null;
  if (reference) {
    sortedCurrent = sortFinite(current);
    missing = current.length - sortedCurrent.length;
    countSortedNumericBins(profile.bins, sortedCurrent, counts);
  } else {
    missing = countNumericBins(profile.bins, current, counts);
  }
  const base = evaluateCounts(profile, Array.from(counts), missing, options);
  let ks: NumericFeatureDrift["ks"] = null;
  let wasserstein: NumericFeatureDrift["wasserstein"] = null;
  if (reference && sortedCurrent && sortedCurrent.length > 0) {
    const approximate = profile.sorted === null;
    const n = { reference: profile.n, current: sortedCurrent.length };
    const found = ksStatisticSorted(reference, sortedCurrent);
    const { d, pvalue, method } = ksPValue(
      found.statistic,
      profile.n,
      sortedCurrent.length,
      approximate ? "asymp" : options.ksMethod,
    );
    ks = {
      statistic: d,
      pvalue,
      method,
      location: found.location,
      sign: found.sign,
      n,
      approximate,
    };
    const w1 = w1Sorted(reference, sortedCurrent);
    const std = profile.std ?? 0;
    wasserstein = { w1, w1NormStd: w1 / Math.max(std, WASSERSTEIN_STD_FLOOR), n, approximate };
  }
  const missingResult = base.missing ?? missingShareTest(0, 0, 0, 0);
  return {
    ...base,
    kind: "numeric",
    missing: missingResult,
    ks,
    wasserstein,
    signals: {
      ks: ks !== null && ks.pvalue < options.alpha && ks.statistic >= options.ksMinStatistic,
      chi2: false,
      newCategory: false,
      missing: missingResult.drift,
    },
  };
}

function compareCategorical(
  profile: CategoricalProfile,
  current: ArrayLike<string | null>,
  options: ResolvedDriftOptions,
): CategoricalFeatureDrift {
  const referenceIndex = new Map<string, number>();
  profile.referenceCategories.forEach((category, index) => referenceIndex.set(category, index));
  const binOf = categoryBinMap(profile);
  const oov = profile.counts.length - 1;
  const counts = new Array<number>(profile.counts.length).fill(0);
  const perCategory = new Array<number>(profile.referenceCategories.length).fill(0);
  const unseenCounts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < current.length; i++) {
    const value = current[i];
    if (typeof value !== "string") {
      missing++;
      continue;
    }
    const index = referenceIndex.get(value);
    if (index === undefined) {
      (counts[oov] as number)++;
      unseenCounts.set(value, (unseenCounts.get(value) ?? 0) + 1);
    } else {
      (perCategory[index] as number)++;
      (counts[binOf.get(value) as number] as number)++;
    }
  }
  const base = evaluateCounts(profile, counts, missing, options);
  const m = base.n.current;
  const unseen = [...unseenCounts.entries()].sort((a, b) =>
    b[1] !== a[1] ? b[1] - a[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  );
  const unionRef = [...profile.referenceCounts, ...unseen.map(() => 0)];
  const unionCur = [...perCategory, ...unseen.map(([, c]) => c)];
  const test = chiSquareHomogeneity(unionRef, unionCur);
  const chi2 = { ...test, cramersV: cramersV(test.statistic, profile.n + m) };
  const distances = totalVariation(unionRef, unionCur);
  const unseenTotal = unseen.reduce((s, [, c]) => s + c, 0);
  const missingResult = base.missing ?? missingShareTest(0, 0, 0, 0);
  return {
    ...base,
    kind: "categorical",
    missing: missingResult,
    chi2,
    tvd: distances.tvd,
    linf: distances.linf,
    unseen: {
      categories: unseen.map(([name]) => name),
      shares: unseen.map(([, c]) => (m > 0 ? c / m : 0)),
      shareCur: m > 0 ? unseenTotal / m : 0,
    },
    vanished: m > 0 ? profile.referenceCategories.filter((_, i) => perCategory[i] === 0) : [],
    signals: {
      ks: false,
      chi2: chi2.pvalue < options.alpha && chi2.cramersV >= options.cramersVMin,
      newCategory: unseen.length > 0,
      missing: missingResult.drift,
    },
  };
}
