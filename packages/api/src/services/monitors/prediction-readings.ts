import type { MonitorSettings } from "@plumbline/contracts";
import type { Reading } from "@plumbline/monitors";

import { quantileFromHistogram } from "../dashboard/histogram-quantile";
import { latencyBins } from "../dashboard/rollup-histograms";
import type { LoadedReference } from "../drift/load-references";
import type { PredictionSums } from "./rollup-series";
import { shareOf } from "./share-of";

/**
 * The model-level reading of a prediction-rollup metric over one window: traffic volume,
 * latency quantile, error rate, schema problems per record, or confidence (mean score, or the
 * low-confidence share).
 */
export function predictionReading(
  settings: MonitorSettings,
  sums: PredictionSums,
  referenceMean: number | null,
): Reading {
  const base = { feature: null, samples: sums.count };
  switch (settings.metric) {
    case "traffic_volume":
      return { ...base, value: sums.count, details: { count: sums.count } };
    case "latency": {
      const q = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 }[settings.statistic] ?? 0.95;
      const value = sums.latencyHistogram
        ? quantileFromHistogram(latencyBins(sums.latencyHistogram), q)
        : null;
      return { ...base, value, details: { quantile: q } };
    }
    case "error_rate":
      return {
        ...base,
        value: shareOf(sums.errorCount, sums.count),
        details: { errors: sums.errorCount },
      };
    case "ingest_health":
      return {
        ...base,
        value: shareOf(sums.schemaProblems, sums.count),
        details: { schemaProblems: sums.schemaProblems },
      };
    default: {
      const scored = sums.scoredCount ?? 0;
      const value =
        settings.statistic === "low_confidence_share"
          ? shareOf(sums.lowConfidenceCount, scored)
          : shareOf(sums.scoreSum, scored);
      return {
        feature: null,
        samples: scored,
        value,
        baseline: settings.statistic === "low_confidence_share" ? null : referenceMean,
        details: { scored },
      };
    }
  }
}

/** The mean of the reference's score profile (the version with the most reference rows). */
export function referenceScoreMean(references: Map<string, LoadedReference>): number | null {
  let best: { rows: number; mean: number } | null = null;
  for (const loaded of references.values()) {
    for (const { target, profile } of loaded.profiles.values()) {
      if (target !== "score" || profile.kind !== "numeric" || profile.mean === null) continue;
      if (!best || loaded.reference.rows > best.rows) {
        best = { rows: loaded.reference.rows, mean: profile.mean };
      }
    }
  }
  return best?.mean ?? null;
}
