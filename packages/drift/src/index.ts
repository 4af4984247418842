// @plumbline/drift: exact, fast drift statistics with stored reference profiles.
// The design notes are docs/drift.md; README.md documents each statistic.
export { benjaminiHochberg } from "./benjamini-hochberg";
export { buildProfile, decileEdges, DEFAULT_MAX_SORTED_VALUES } from "./build-profile";
export type { BuildProfileOptions } from "./build-profile";
export { chiSquareQuantile, chiSquareSurvival } from "./chi-square-distribution";
export { chiSquareHomogeneity, cramersV } from "./chi-square-homogeneity";
export type { ChiSquareResult } from "./chi-square-homogeneity";
export { compareCounts } from "./compare-counts";
export type { CompareCountsOptions } from "./compare-counts";
export { compareToProfile } from "./compare-to-profile";
export { CompensatedSum, sumCompensated } from "./compensated-sum";
export { datasetDrift } from "./dataset-drift";
export type { DatasetDriftOptions, DatasetDriftResult } from "./dataset-drift";
export { DEFAULT_DRIFT_OPTIONS, resolveDriftOptions } from "./drift-options";
export type { DriftOptions, ResolvedDriftOptions } from "./drift-options";
export { hellinger } from "./hellinger";
export { jensenShannon } from "./jensen-shannon";
export type { JensenShannonResult } from "./jensen-shannon";
export { kolmogorovSurvival } from "./kolmogorov-distribution";
export { ksTwoSample, ksTwoSampleSorted } from "./ks-two-sample";
export type { KsMethod, KsOptions, KsResult } from "./ks-two-sample";
export { logGamma } from "./log-gamma";
export { missingShareTest } from "./missing-share";
export type { MissingShareResult } from "./missing-share";
export { normalSurvival, normalTwoSidedPValue } from "./normal-distribution";
export { populationMoments } from "./population-moments";
export {
  populationStabilityIndex,
  populationStabilityIndexEpsilonFloor,
} from "./population-stability-index";
export { numericBinIndex } from "./profile-bins";
export { regularizedGammaP, regularizedGammaQ } from "./regularized-gamma";
export { sortFinite } from "./sort-finite";
export { totalVariation } from "./total-variation";
export type { DistributionDistances } from "./total-variation";
export type * from "./types";
export { DRIFT_STATUSES } from "./types";
export { wasserstein, wassersteinSorted } from "./wasserstein";
export type { WassersteinResult } from "./wasserstein";
