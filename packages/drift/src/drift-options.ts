import type { KsMethod } from "./ks-two-sample";
import type { ThresholdMode } from "./types";

/** Every threshold of the specification, with its default. */
export interface DriftOptions {
  /** "fixed" uses the thresholds below; "calibrated" uses the profile's calibration. */
  thresholdMode?: ThresholdMode;
  /** Significance level of every gate (binned chi-square, binary, KS, missing): 0.05. */
  alpha?: number;
  /** JS distance (base 2) warn level: 0.1. */
  jsWarn?: number;
  /** JS distance alert level: 0.2. */
  jsAlert?: number;
  /** PSI warn level: 0.1. */
  psiWarn?: number;
  /** PSI alert level: 0.25. */
  psiAlert?: number;
  /** An `ok` becomes `inconclusive` when (1/n + 1/m) chi2_q(K - 1) >= this: 0.25. */
  inconclusiveLevel?: number;
  /** The chi-square quantile q of that rule: 0.95. */
  inconclusiveQuantile?: number;
  /** Binary columns: share difference for warn: 0.05. */
  binaryWarn?: number;
  /** Binary columns: share difference for alert: 0.10. */
  binaryAlert?: number;
  /** KS drift also needs D >= this: 0.1. */
  ksMinStatistic?: number;
  /** Categorical chi-square drift also needs Cramer's V >= this: 0.1. */
  cramersVMin?: number;
  /** Missing-share drift also needs |change| >= this: 0.05. */
  missingMinChange?: number;
  /** Calibrated mode: alert at mean + calibrationAlertSds * sd of the chunk statistics: 3. */
  calibrationAlertSds?: number;
  /** Calibrated mode: warn at mean + calibrationWarnSds * sd: 2. */
  calibrationWarnSds?: number;
  /** KS p-value method: "auto" (SciPy's rule). */
  ksMethod?: KsMethod;
  /**
   * Compute KS and Wasserstein against the stored sorted reference (default true). They need
   * the current window sorted; the binned statistics need one binary search per value only.
   */
  sampleStatistics?: boolean;
}

export type ResolvedDriftOptions = Required<DriftOptions>;

export const DEFAULT_DRIFT_OPTIONS: ResolvedDriftOptions = Object.freeze({
  thresholdMode: "fixed",
  alpha: 0.05,
  jsWarn: 0.1,
  jsAlert: 0.2,
  psiWarn: 0.1,
  psiAlert: 0.25,
  inconclusiveLevel: 0.25,
  inconclusiveQuantile: 0.95,
  binaryWarn: 0.05,
  binaryAlert: 0.1,
  ksMinStatistic: 0.1,
  cramersVMin: 0.1,
  missingMinChange: 0.05,
  calibrationAlertSds: 3,
  calibrationWarnSds: 2,
  ksMethod: "auto",
  sampleStatistics: true,
});

export function resolveDriftOptions(options: DriftOptions = {}): ResolvedDriftOptions {
  const resolved = { ...DEFAULT_DRIFT_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}
