import type { MonitorSettings } from "@plumbline/contracts";

/** A model's task as the registry stores it (`MODEL_TASKS` of the contracts). */
export type CatalogTask =
  "binary_classification" | "multiclass_classification" | "regression" | "ranking" | "other";

/** A default monitor and the stable key that keeps its creation idempotent. */
export interface CatalogMonitor {
  catalogKey: string;
  settings: MonitorSettings;
}

const HOUR = 60;
const DAY = 24 * HOUR;

const base = {
  feature: null,
  scope: {},
  notify: [],
  enabled: true,
  minSamples: 0,
  breachesToFire: 1,
  healthyToResolve: 2,
} satisfies Partial<MonitorSettings>;

const shareLevels = (warning: number, critical: number) =>
  ({ kind: "static", direction: "above", warning, critical }) as const;

export function isClassification(task: CatalogTask): boolean {
  return task === "binary_classification" || task === "multiclass_classification";
}

/**
 * The default catalog of docs/monitors.md for a model of `task`: traffic, freshness, ingest and
 * serving health, data quality and drift per feature, dataset and prediction drift, confidence
 * (classifiers), realised performance and label coverage. `canary_vs_stable` is not in it: it
 * belongs to a rollout, not to every model. Every entry has a stable `catalogKey`, so creating
 * the catalog twice creates nothing twice.
 */
export function defaultCatalog(task: CatalogTask): CatalogMonitor[] {
  const classifier = isClassification(task);
  const entries: CatalogMonitor[] = [
    {
      catalogKey: "traffic_volume",
      settings: {
        ...base,
        name: "Traffic volume",
        metric: "traffic_volume",
        statistic: "count",
        threshold: {
          kind: "relative",
          baseline: "last_week",
          change: "percent",
          direction: "either",
          warning: 50,
          critical: null,
        },
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        breachesToFire: 2,
      },
    },
    {
      catalogKey: "no_data",
      settings: {
        ...base,
        name: "No data",
        metric: "no_data",
        statistic: "interval_ratio",
        // Time since the last record, in multiples of the interval learned over the last day.
        threshold: { kind: "static", direction: "above", warning: 3, critical: 10 },
        bucketMinutes: 5,
        windowMinutes: DAY,
      },
    },
    {
      catalogKey: "ingest_health",
      settings: {
        ...base,
        name: "Ingest health",
        metric: "ingest_health",
        statistic: "schema_problem_share",
        threshold: shareLevels(0.01, 0.05),
        bucketMinutes: 5,
        windowMinutes: 5,
        minSamples: 20,
      },
    },
    {
      catalogKey: "latency",
      settings: {
        ...base,
        name: "Latency p95",
        metric: "latency",
        statistic: "p95",
        threshold: { kind: "static", direction: "above", warning: 500, critical: 1000 },
        bucketMinutes: 5,
        windowMinutes: 5,
        minSamples: 20,
      },
    },
    {
      catalogKey: "error_rate",
      settings: {
        ...base,
        name: "Error rate",
        metric: "error_rate",
        statistic: "error_share",
        threshold: shareLevels(0.01, 0.05),
        bucketMinutes: 5,
        windowMinutes: 5,
        minSamples: 20,
      },
    },
    {
      catalogKey: "missing_values",
      settings: {
        ...base,
        name: "Missing values",
        metric: "missing_values",
        statistic: "null_rate",
        threshold: {
          kind: "relative",
          baseline: "reference",
          change: "points",
          direction: "increase",
          warning: 0.05,
          critical: 0.2,
        },
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 200,
      },
    },
    {
      catalogKey: "type_mismatch",
      settings: {
        ...base,
        name: "Type mismatch",
        metric: "type_mismatch",
        statistic: "share",
        threshold: shareLevels(0.01, 0.05),
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 100,
      },
    },
    {
      catalogKey: "out_of_range",
      settings: {
        ...base,
        name: "Out of range",
        metric: "out_of_range",
        statistic: "share",
        threshold: shareLevels(0.01, 0.05),
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 100,
      },
    },
    {
      catalogKey: "unseen_categories",
      settings: {
        ...base,
        name: "Unseen categories",
        metric: "unseen_categories",
        statistic: "share",
        threshold: shareLevels(0.02, 0.1),
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 100,
      },
    },
    {
      catalogKey: "feature_drift",
      settings: {
        ...base,
        name: "Feature drift",
        metric: "feature_drift",
        statistic: "status",
        threshold: { kind: "statistical", fdr: false, fdrLevel: 0.05 },
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 500,
        breachesToFire: 2,
      },
    },
    {
      catalogKey: "dataset_drift",
      settings: {
        ...base,
        name: "Dataset drift",
        metric: "dataset_drift",
        statistic: "alert_share",
        threshold: shareLevels(0.3, 0.5),
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 500,
      },
    },
    {
      catalogKey: "prediction_drift",
      settings: {
        ...base,
        name: "Prediction drift",
        metric: "prediction_drift",
        statistic: classifier ? "js" : "psi",
        threshold: { kind: "statistical", fdr: false, fdrLevel: 0.05 },
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 500,
      },
    },
    {
      catalogKey: "realized_performance",
      settings: {
        ...base,
        name: classifier ? "Accuracy" : "Mean absolute error",
        metric: "realized_performance",
        statistic: classifier ? "accuracy" : "mae",
        threshold: {
          kind: "relative",
          baseline: "reference",
          change: "percent",
          direction: classifier ? "decrease" : "increase",
          warning: 5,
          critical: 15,
        },
        bucketMinutes: HOUR,
        windowMinutes: DAY,
        minSamples: 200,
      },
    },
    {
      catalogKey: "label_coverage",
      settings: {
        ...base,
        name: "Label coverage",
        metric: "label_coverage",
        statistic: "coverage",
        threshold: { kind: "static", direction: "below", warning: 0.5, critical: null },
        bucketMinutes: DAY,
        windowMinutes: DAY,
        minSamples: 1,
      },
    },
  ];
  if (classifier) {
    entries.push({
      catalogKey: "confidence",
      settings: {
        ...base,
        name: "Confidence",
        metric: "confidence",
        // The mean score against the reference's mean score: a fall of 5 points warns.
        statistic: "mean",
        threshold: {
          kind: "relative",
          baseline: "reference",
          change: "points",
          direction: "decrease",
          warning: 0.05,
          critical: 0.15,
        },
        bucketMinutes: HOUR,
        windowMinutes: HOUR,
        minSamples: 200,
      },
    });
  }
  return entries;
}
