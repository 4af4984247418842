// @plumbline/drift: exact, fast drift statistics with stored reference profiles.
// The specification is ../shared/specs/drift.md; README.md documents each statistic.
export { benjaminiHochberg } from "./benjamini-hochberg.js";
export { buildProfile, decileEdges, DEFAULT_MAX_SORTED_VALUES } from "./build-profile.js";
export type { BuildProfileOptions } from "./build-profile.js";
export { chiSquareQuantile, chiSquareSurvival } from "./chi-square-distribution.js";
export { chiSquareHomogeneity, cramersV } from "./chi-square-homogeneity.js";
export type { ChiSquareResult } from "./chi-square-homogeneity.js";
export { compareCounts } from "./compare-counts.js";
export type { CompareCountsOptions } from "./compare-counts.js";
export { compareToProfile } from "./compare-to-profile.js";
export { CompensatedSum, sumCompensated } from "./compensated-sum.js";
export { datasetDrift } from "./dataset-drift.js";
export type { DatasetDriftOptions, DatasetDriftResult } from "./dataset-drift.js";
export { DEFAULT_DRIFT_OPTIONS, resolveDriftOptions } from "./drift-options.js";
export type { DriftOptions, ResolvedDriftOptions } from "./drift-options.js";
export { hellinger } from "./hellinger.js";
export { jensenShannon } from "./jensen-shannon.js";
export type { JensenShannonResult } from "./jensen-shannon.js";
export { kolmogorovSurvival } from "./kolmogorov-distribution.js";
export { ksTwoSample, ksTwoSampleSorted } from "./ks-two-sample.js";
export type { KsMethod, KsOptions, KsResult } from "./ks-two-sample.js";
export { logGamma } from "./log-gamma.js";
export { missingShareTest } from "./missing-share.js";
export type { MissingShareResult } from "./missing-share.js";
export { normalSurvival, normalTwoSidedPValue } from "./normal-distribution.js";
export { populationMoments } from "./population-moments.js";
export {
  populationStabilityIndex,
  populationStabilityIndexEpsilonFloor,
} from "./population-stability-index.js";
export { numericBinIndex } from "./profile-bins.js";
export { regularizedGammaP, regularizedGammaQ } from "./regularized-gamma.js";
export { sortFinite } from "./sort-finite.js";
export { totalVariation } from "./total-variation.js";
export type { DistributionDistances } from "./total-variation.js";
export type * from "./types.js";
export { wasserstein, wassersteinSorted } from "./wasserstein.js";
export type { WassersteinResult } from "./wasserstein.js";
