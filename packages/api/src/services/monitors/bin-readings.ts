import type { MonitorSettings } from "@plumbline/contracts";
import type { ReferenceProfile } from "@plumbline/drift";
import type { Reading } from "@plumbline/monitors";

import { referenceMissingShare } from "../dashboard/quality-shares";
import { evaluateFeatures, type FeatureEvaluation } from "../drift/compute-drift-table";
import { emptyBinCounts, pickRepresentative, recordsOf } from "../drift/evaluate-counts";
import type { LoadedReference } from "../drift/load-references";
import { binSumsKey, type BinSums, type SeriesRequest } from "./rollup-series";
import { shareOf } from "./share-of";

/** The drift package's p-value of a comparison, as the drift table reports it. */
function pValueOf(evaluation: FeatureEvaluation): number | null {
  const drift = evaluation.representative.drift;
  if (drift.status === "no_data") return null;
  return drift.binary?.pvalue ?? drift.binned.chi2.pvalue;
}

function driftDetails(evaluation: FeatureEvaluation) {
  const { drift, version } = evaluation.representative;
  const noData = drift.status === "no_data";
  return {
    feature: evaluation.name,
    target: evaluation.target,
    version,
    status: drift.status,
    jsDistance: noData ? null : drift.binned.jsDistance,
    psi: noData ? null : drift.binned.psi,
    pValue: pValueOf(evaluation),
    currentCount: drift.n.current,
    referenceCount: drift.n.reference,
  };
}

/** How many drifting features an alert's details list. */
const TOP_FEATURES = 5;

/**
 * The readings of a bin-rollup metric over one window: per feature (data quality, feature
 * drift), or for the model (dataset drift, prediction drift), from the drift service's
 * `evaluateFeatures` on the summed counts.
 */
export function binReadings(
  settings: MonitorSettings,
  request: SeriesRequest,
  references: Map<string, LoadedReference>,
  sums: BinSums,
  window: { from: number; to: number },
): Reading[] {
  if (references.size === 0) return [];
  const metric = settings.metric;
  if (
    metric === "missing_values" ||
    metric === "type_mismatch" ||
    metric === "out_of_range" ||
    metric === "unseen_categories"
  ) {
    return qualityReadings(metric, references, sums);
  }
  const compared = evaluateFeatures(
    {
      modelId: request.model.id,
      window: {
        from: new Date(window.from),
        to: new Date(window.to),
        bucketMs: window.to - window.from,
        inProgressBucket: null,
      },
      slice: request.slice,
      references,
      revisions: new Map(),
      unavailable: null,
    },
    (version, target, name) => sums.get(binSumsKey(version, target, name)),
  );
  // With several versions in the window, judge the worst version measured on at least
  // `minSamples` values: a 180-value canary must not hide a well-measured stable version, nor
  // make the whole monitor inconclusive. Without such a version, the drift table's choice.
  const evaluations = compared.map((evaluation) => ({
    ...evaluation,
    representative:
      pickRepresentative(
        evaluation.results.filter((result) => result.drift.n.current >= settings.minSamples),
      ) ?? evaluation.representative,
  }));
  const statisticOf = (evaluation: FeatureEvaluation) => {
    const details = driftDetails(evaluation);
    return settings.statistic === "psi" ? details.psi : details.jsDistance;
  };
  const features = evaluations.filter((evaluation) => evaluation.target === "feature");

  if (metric === "feature_drift") {
    return features.map((evaluation) => ({
      feature: evaluation.name,
      value: statisticOf(evaluation),
      samples: evaluation.representative.drift.n.current,
      driftStatus: evaluation.representative.drift.status,
      pValue: pValueOf(evaluation),
      details: driftDetails(evaluation),
    }));
  }
  if (metric === "dataset_drift") {
    const conclusive = features.filter((evaluation) =>
      ["ok", "warn", "alert"].includes(evaluation.representative.drift.status),
    );
    const alerting = conclusive.filter(
      (evaluation) => evaluation.representative.drift.status === "alert",
    );
    const top = [...conclusive]
      .sort((a, b) => (statisticOf(b) ?? 0) - (statisticOf(a) ?? 0))
      .slice(0, TOP_FEATURES)
      .map(driftDetails);
    return [
      {
        feature: null,
        value: conclusive.length > 0 ? alerting.length / conclusive.length : null,
        samples: Math.max(0, ...features.map((e) => e.representative.drift.n.current)),
        details: {
          featuresAtAlert: alerting.length,
          featuresCompared: conclusive.length,
          topFeatures: top,
        },
      },
    ];
  }
  // prediction_drift: the predicted labels (or values), else the score.
  const prediction =
    evaluations.find((evaluation) => evaluation.target === "prediction") ??
    evaluations.find((evaluation) => evaluation.target === "score");
  if (!prediction) return [];
  return [
    {
      feature: null,
      value: statisticOf(prediction),
      samples: prediction.representative.drift.n.current,
      driftStatus: prediction.representative.drift.status,
      pValue: pValueOf(prediction),
      details: driftDetails(prediction),
    },
  ];
}

function qualityReadings(
  metric: "missing_values" | "type_mismatch" | "out_of_range" | "unseen_categories",
  references: Map<string, LoadedReference>,
  sums: BinSums,
): Reading[] {
  // Quality counters mean the same whatever version counted them: pool the versions.
  const byName = new Map<
    string,
    {
      kind: "numeric" | "categorical";
      records: number;
      values: number;
      counter: number;
      profiles: ReferenceProfile[];
    }
  >();
  for (const [version, loaded] of references) {
    for (const entry of loaded.profiles.values()) {
      if (entry.target !== "feature") continue;
      const counts =
        sums.get(binSumsKey(version, entry.target, entry.name)) ??
        emptyBinCounts(entry.profile.counts.length);
      let pooled = byName.get(entry.name);
      if (!pooled) {
        byName.set(
          entry.name,
          (pooled = { kind: entry.profile.kind, records: 0, values: 0, counter: 0, profiles: [] }),
        );
      }
      pooled.profiles.push(entry.profile);
      pooled.records += recordsOf({
        ...counts,
        counts: entry.profile.counts.map((_, bin) => counts.counts[bin] ?? 0),
      });
      pooled.values += entry.profile.counts.reduce(
        (sum, _, bin) => sum + (counts.counts[bin] ?? 0),
        0,
      );
      pooled.counter +=
        metric === "missing_values"
          ? counts.missing
          : metric === "type_mismatch"
            ? counts.typeMismatch
            : metric === "out_of_range"
              ? counts.outOfRange
              : counts.unseen;
    }
  }
  const readings: Reading[] = [];
  for (const [name, pooled] of byName) {
    // Out of range is a numeric notion, unseen categories a categorical one.
    if (metric === "out_of_range" && pooled.kind !== "numeric") continue;
    if (metric === "unseen_categories" && pooled.kind !== "categorical") continue;
    const whole =
      metric === "missing_values" || metric === "type_mismatch" ? pooled.records : pooled.values;
    readings.push({
      feature: name,
      value: shareOf(pooled.counter, whole),
      samples: pooled.records,
      baseline: metric === "missing_values" ? referenceMissingShare(pooled.profiles) : null,
      details: { count: pooled.counter, records: pooled.records },
    });
  }
  return readings.sort((a, b) => (a.feature ?? "").localeCompare(b.feature ?? ""));
}
