import type { ChiSquareResult } from "./chi-square-homogeneity";
import type { KsResult } from "./ks-two-sample";
import type { MissingShareResult } from "./missing-share";
import type { WassersteinResult } from "./wasserstein";

/** Every status a drift comparison can end in, mildest first (the order a legend lists them). */
export const DRIFT_STATUSES = ["ok", "warn", "alert", "inconclusive", "no_data"] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];
export type ThresholdMode = "fixed" | "calibrated";

/** Numeric bins: quantile (decile) edges, or one bin per distinct reference value plus OOV. */
export type NumericBins =
  | {
      type: "quantile";
      /** Sorted, distinct edges; bins (-inf, e1), [e1, e2), ..., [e_last, +inf). No OOV bin. */
      edges: number[];
    }
  | {
      type: "value";
      /** Sorted distinct reference values; bin i holds x === values[i]; the last bin is OOV. */
      values: number[];
    };

/** Thresholds derived from the reference itself (thresholdMode "calibrated"). */
export interface Calibration {
  /** Rows per chunk: the expected size of a current window. */
  windowSize: number;
  /** Chunks compared with the rest of the reference. */
  chunks: number;
  jsDistance: { mean: number; sd: number };
  psi: { mean: number; sd: number };
}

/** A quantile summary kept instead of the sorted reference above `maxSortedValues` values. */
export interface QuantileSketch {
  /**
   * q_k = sorted[ceil(k n / Q) - 1] for k = 1..Q (NumPy `inverted_cdf`), Q = quantiles.length.
   * Treated as an equally weighted sample of Q points, its ECDF is within 1/Q of the reference
   * ECDF everywhere, so KS's D is within `dErrorBound` = 1/Q of the exact D.
   */
  quantiles: number[];
  dErrorBound: number;
  /** W1 computed against the sketch is within (max - min) / Q of the exact W1. */
  w1ErrorBound: number;
}

interface ProfileCommon {
  version: 1;
  /** Non-missing reference values. */
  n: number;
  /** Missing reference values (null, NaN, +/-Infinity for numeric; null for categorical). */
  missing: number;
  /** Distinct non-missing reference values. */
  distinct: number;
  /** Reference counts per bin, aligned with the bins, OOV last (always 0 in the reference). */
  counts: number[];
  /** Present when thresholds were calibrated on the reference (enough rows for 2+ chunks). */
  calibration: Calibration | null;
}

export interface NumericProfile extends ProfileCommon {
  kind: "numeric";
  bins: NumericBins;
  /** Present when the reference has exactly two distinct values (value bins are then used). */
  binary: { values: [number, number] } | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Population standard deviation (ddof = 0). */
  std: number | null;
  /** The sorted reference, kept when n <= maxSortedValues (200,000 by default). */
  sorted: number[] | null;
  /** Kept instead of `sorted` above that size. */
  sketch: QuantileSketch | null;
}

export interface CategoricalProfile extends ProfileCommon {
  kind: "categorical";
  /** Categories with their own bin: the most frequent (100 by default), by count then name. */
  categories: string[];
  /** Whether a bin `other` follows them, holding the remaining reference categories. */
  hasOther: boolean;
  /** Every reference category, by count descending then name, with its count. */
  referenceCategories: string[];
  referenceCounts: number[];
  binary: { values: [string, string] } | null;
}

/** A stored, JSON-serialisable summary of a feature's reference window. */
export type ReferenceProfile = NumericProfile | CategoricalProfile;

export interface BinnedStatistics {
  refCounts: number[];
  curCounts: number[];
  psi: number;
  psiEpsFloor: number;
  jsDistance: number;
  jsDivergence: number;
  hellinger: number;
  chi2: ChiSquareResult;
}

export interface BinaryStatistics {
  /** Share of the second (larger, or later in code-unit order) value among non-missing rows. */
  shareRef: number;
  shareCur: number;
  absDiff: number;
  /** Pearson chi-square of the 2 x 2 table (value, not value) x (reference, current). */
  chi2: number;
  pvalue: number;
}

export interface CategoricalChiSquare extends ChiSquareResult {
  cramersV: number;
}

export interface AppliedThresholds {
  mode: ThresholdMode;
  jsWarn: number;
  jsAlert: number;
  psiWarn: number;
  psiAlert: number;
}

/** Secondary drift rules of the spec, reported beside the primary status. */
export interface DriftSignals {
  /** KS: p < alpha and D >= ksMinStatistic (false when KS was not computed). */
  ks: boolean;
  /** Categorical chi-square: p < alpha and Cramer's V >= cramersVMin. */
  chi2: boolean;
  /** Any category unseen in the reference appeared. */
  newCategory: boolean;
  /** Missing share: p < alpha and |change| >= missingMinChange. */
  missing: boolean;
}

/** What `compareCounts` returns: the binned block and status from bin counts alone. */
export interface CountsDrift {
  kind: "numeric" | "categorical";
  /** Non-missing values in each window. */
  n: { reference: number; current: number };
  binned: BinnedStatistics;
  binary: BinaryStatistics | null;
  /** Present when the current missing count was given. */
  missing: MissingShareResult | null;
  psiStatus: DriftStatus;
  jsStatus: DriftStatus;
  primary: "js_distance" | "binary";
  status: DriftStatus;
  thresholds: AppliedThresholds;
}

export interface NumericFeatureDrift extends CountsDrift {
  kind: "numeric";
  missing: MissingShareResult;
  /** Present when the profile holds the sorted reference (or its sketch). */
  ks: (KsResult & { approximate: boolean }) | null;
  wasserstein: (WassersteinResult & { approximate: boolean }) | null;
  signals: DriftSignals;
}

export interface CategoricalFeatureDrift extends CountsDrift {
  kind: "categorical";
  missing: MissingShareResult;
  /** Homogeneity test over the union of reference and current categories. */
  chi2: CategoricalChiSquare;
  tvd: number;
  linf: number;
  /** Categories never seen in the reference, by current count, with their shares. */
  unseen: { categories: string[]; shares: number[]; shareCur: number };
  /** Reference categories absent from the current window. */
  vanished: string[];
  signals: DriftSignals;
}

export type FeatureDrift = NumericFeatureDrift | CategoricalFeatureDrift;
