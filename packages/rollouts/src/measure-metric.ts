import { jensenShannon, populationStabilityIndex } from "@plumbline/drift";

import type { MeasuredValue } from "./analysis";
import type { AnalysisMetricKind } from "./strategy";

/**
 * What the rollups hold for one side (canary or stable) over one window, already summed. The
 * p99 comes from the side's latency histogram (the reader owns the histogram's buckets).
 */
export interface SideSums {
  count: number;
  errorCount: number;
  latencyCount: number;
  latencyP99Ms: number | null;
  scoreCount: number;
  scoreSum: number;
  lowConfidenceCount: number;
  /** Score histogram (equal-width bins); the same length on both sides. */
  scoreHistogram: readonly number[];
  /** Predictions whose labels joined, and how many of them were right. */
  labelled: number;
  correct: number;
}

export function emptySideSums(bins: number): SideSums {
  return {
    count: 0,
    errorCount: 0,
    latencyCount: 0,
    latencyP99Ms: null,
    scoreCount: 0,
    scoreSum: 0,
    lowConfidenceCount: 0,
    scoreHistogram: Array.from({ length: bins }, () => 0),
    labelled: 0,
    correct: 0,
  };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** What each side's sample count is for the metrics that subtract one side's statistic. */
const SHIFT_SAMPLES = {
  error_rate_difference: "count",
  mean_confidence_shift: "scoreCount",
  low_confidence_share_shift: "scoreCount",
  accuracy_drop: "labelled",
} as const;

/**
 * One metric's value, canary against stable, with the samples each side contributed. Policy:
 * a value that cannot be formed (no latency on one side, a stable p99 of 0, no labels) is null,
 * which the judgement reads as inconclusive; it never becomes 0.
 */
export function measureMetric(
  kind: AnalysisMetricKind,
  canary: SideSums,
  stable: SideSums,
): MeasuredValue {
  switch (kind) {
    case "p99_latency_ratio":
      return {
        value:
          canary.latencyP99Ms === null || stable.latencyP99Ms === null || stable.latencyP99Ms <= 0
            ? null
            : canary.latencyP99Ms / stable.latencyP99Ms,
        canarySamples: canary.latencyCount,
        stableSamples: stable.latencyCount,
      };
    case "prediction_js_distance":
    case "prediction_psi": {
      if (canary.scoreHistogram.length !== stable.scoreHistogram.length) {
        return {
          value: null,
          canarySamples: canary.scoreCount,
          stableSamples: stable.scoreCount,
          error: "the two score histograms have different bins",
        };
      }
      const value =
        canary.scoreCount === 0 || stable.scoreCount === 0
          ? null
          : kind === "prediction_psi"
            ? populationStabilityIndex(stable.scoreHistogram, canary.scoreHistogram)
            : jensenShannon(stable.scoreHistogram, canary.scoreHistogram).distance;
      return { value, canarySamples: canary.scoreCount, stableSamples: stable.scoreCount };
    }
    case "error_rate_difference":
    case "mean_confidence_shift":
    case "low_confidence_share_shift":
    case "accuracy_drop": {
      const canaryValue = sideStatistic(kind, canary);
      const stableValue = sideStatistic(kind, stable);
      const samples = SHIFT_SAMPLES[kind];
      return {
        // Accuracy drops when the canary's is lower: stable minus canary; the others are canary
        // minus stable.
        value:
          kind === "accuracy_drop"
            ? difference(stableValue, canaryValue)
            : difference(canaryValue, stableValue),
        canarySamples: canary[samples],
        stableSamples: stable[samples],
      };
    }
  }
}

/**
 * The statistic of one side that a metric compares (error rate, p99 in ms, mean score,
 * low-confidence share, accuracy), shown beside the other side's; null for the distribution
 * distances, which exist only between the two sides.
 */
export function sideStatistic(kind: AnalysisMetricKind, sums: SideSums): number | null {
  switch (kind) {
    case "error_rate_difference":
      return share(sums.errorCount, sums.count);
    case "p99_latency_ratio":
      return sums.latencyP99Ms;
    case "mean_confidence_shift":
      return share(sums.scoreSum, sums.scoreCount);
    case "low_confidence_share_shift":
      return share(sums.lowConfidenceCount, sums.scoreCount);
    case "accuracy_drop":
      return share(sums.correct, sums.labelled);
    case "prediction_js_distance":
    case "prediction_psi":
      return null;
  }
}
