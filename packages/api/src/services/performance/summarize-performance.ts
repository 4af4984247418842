import { ERROR_BUCKET_BOUNDS, LABEL_DELAY_BUCKET_BOUNDS_MS } from "@plumbline/db/histogram-buckets";

import { rocAucFromBins } from "./binned-roc-auc";
import { quantileFromBucketCounts } from "./bucket-quantile";
import {
  metricsFromConfusion,
  type ConfusionCell,
  type ConfusionMetrics,
} from "./confusion-metrics";
import { reliabilityPoints, type ReliabilityPoint } from "./reliability-diagram";

/** The summed rollups of one time bucket (or of the whole window), before any metric. */
export interface PerformanceCounts {
  predictions: number;
  /** Labels joined to those predictions (the coverage numerator). */
  joined: number;
  /** Joined labels behind the delay figures (version and label name filters only). */
  delayCount: number;
  delaySumMs: number;
  delayHistogram: number[];
  confusion: ConfusionCell[];
  positiveScoreHistogram: number[];
  negativeScoreHistogram: number[];
  scoreSumByBin: number[];
  regressionCount: number;
  absoluteErrorSum: number;
  squaredErrorSum: number;
  errorSum: number;
  errorHistogram: number[];
}

export function emptyPerformanceCounts(): PerformanceCounts {
  return {
    predictions: 0,
    joined: 0,
    delayCount: 0,
    delaySumMs: 0,
    delayHistogram: [],
    confusion: [],
    positiveScoreHistogram: [],
    negativeScoreHistogram: [],
    scoreSumByBin: [],
    regressionCount: 0,
    absoluteErrorSum: 0,
    squaredErrorSum: 0,
    errorSum: 0,
    errorHistogram: [],
  };
}

function addArrays(into: number[], values: readonly number[]) {
  values.forEach((value, index) => {
    into[index] = (into[index] ?? 0) + value;
  });
}

/** Adds `counts` into `total` (the window's totals are the sum of its buckets' counts). */
export function addPerformanceCounts(total: PerformanceCounts, counts: PerformanceCounts): void {
  total.predictions += counts.predictions;
  total.joined += counts.joined;
  total.delayCount += counts.delayCount;
  total.delaySumMs += counts.delaySumMs;
  addArrays(total.delayHistogram, counts.delayHistogram);
  total.confusion.push(...counts.confusion);
  addArrays(total.positiveScoreHistogram, counts.positiveScoreHistogram);
  addArrays(total.negativeScoreHistogram, counts.negativeScoreHistogram);
  addArrays(total.scoreSumByBin, counts.scoreSumByBin);
  total.regressionCount += counts.regressionCount;
  total.absoluteErrorSum += counts.absoluteErrorSum;
  total.squaredErrorSum += counts.squaredErrorSum;
  total.errorSum += counts.errorSum;
  addArrays(total.errorHistogram, counts.errorHistogram);
}

/** Binary-classifier figures from P(positive) bins split by the actual class. */
export interface BinaryScorePerformance {
  /** Labeled predictions whose label was the positive class, and the others. */
  positives: number;
  negatives: number;
  /** Trapezoid ROC-AUC over the score bins (see rocAucFromBins); null without both classes. */
  rocAuc: number | null;
  /** One point per non-empty score bin. */
  reliability: ReliabilityPoint[];
}

/** One bucket of the regression error distribution: errors in (lower, upper]. */
export interface ErrorBucket {
  /** Null for the first bucket (every error at or below the first bound). */
  lower: number | null;
  /** Null for the last bucket (every error above the last bound). */
  upper: number | null;
  count: number;
}

/** Regression figures; error = predicted value - actual value. */
export interface RegressionPerformance {
  count: number;
  /** Mean absolute error. */
  mae: number;
  /** Root mean squared error. */
  rmse: number;
  /** Mean signed error: > 0 when the model over-predicts on average. */
  meanError: number;
  /** Every fixed error bucket (ERROR_BUCKET_BOUNDS), empty ones included, lowest first. */
  errorDistribution: ErrorBucket[];
}

/** Joined labels over predictions of the same minutes (by the prediction's time). */
export interface LabelCoverage {
  predictions: number;
  joined: number;
  /** joined / predictions; null without predictions. */
  coverage: number | null;
}

/**
 * Label delay: the label's observed_at minus its prediction's timestamp, from the fixed delay
 * histogram (quantiles interpolated inside a bucket, see quantileFromBucketCounts). Not
 * narrowed by deployment: label_rollups_minute has no deployment.
 */
export interface LabelDelay {
  joined: number;
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
}

/** Every performance figure of one bucket or of the whole window. */
export interface PerformanceSummary {
  /** Accuracy, per-class and macro precision/recall/F1; null when no pair has both classes. */
  classification: ConfusionMetrics | null;
  /** ROC-AUC and the reliability diagram; null when no binary pair has a P(positive). */
  binary: BinaryScorePerformance | null;
  /** MAE, RMSE, mean error and the error distribution; null when no pair has both values. */
  regression: RegressionPerformance | null;
  coverage: LabelCoverage;
  delay: LabelDelay;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Turns summed counts into metrics. Pure: every figure comes from the counts alone. */
export function summarizePerformance(counts: PerformanceCounts): PerformanceSummary {
  const positives = sum(counts.positiveScoreHistogram);
  const negatives = sum(counts.negativeScoreHistogram);
  const n = counts.regressionCount;
  return {
    classification: metricsFromConfusion(counts.confusion),
    binary:
      positives + negatives > 0
        ? {
            positives,
            negatives,
            rocAuc: rocAucFromBins(counts.positiveScoreHistogram, counts.negativeScoreHistogram),
            reliability: reliabilityPoints(
              counts.positiveScoreHistogram,
              counts.negativeScoreHistogram,
              counts.scoreSumByBin,
            ),
          }
        : null,
    regression:
      n > 0
        ? {
            count: n,
            mae: counts.absoluteErrorSum / n,
            rmse: Math.sqrt(Math.max(0, counts.squaredErrorSum) / n),
            meanError: counts.errorSum / n,
            errorDistribution: Array.from(
              { length: ERROR_BUCKET_BOUNDS.length + 1 },
              (_, index): ErrorBucket => ({
                lower: index === 0 ? null : ERROR_BUCKET_BOUNDS[index - 1]!,
                upper: index === ERROR_BUCKET_BOUNDS.length ? null : ERROR_BUCKET_BOUNDS[index]!,
                count: counts.errorHistogram[index] ?? 0,
              }),
            ),
          }
        : null,
    coverage: {
      predictions: counts.predictions,
      joined: counts.joined,
      coverage: counts.predictions > 0 ? counts.joined / counts.predictions : null,
    },
    delay: {
      joined: counts.delayCount,
      meanMs: counts.delayCount > 0 ? counts.delaySumMs / counts.delayCount : null,
      p50Ms: quantileFromBucketCounts(LABEL_DELAY_BUCKET_BOUNDS_MS, counts.delayHistogram, 0.5),
      p90Ms: quantileFromBucketCounts(LABEL_DELAY_BUCKET_BOUNDS_MS, counts.delayHistogram, 0.9),
    },
  };
}
