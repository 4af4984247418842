import type { MonitorMetric, MonitorSettings } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import type { ReferenceProfile } from "@plumbline/drift";
import type { Reading } from "@plumbline/monitors";

import { quantileFromHistogram } from "../dashboard/histogram-quantile";
import { referenceMissingShare } from "../dashboard/quality-shares";
import { latencyBins } from "../dashboard/rollup-histograms";
import { evaluateFeatures, type FeatureEvaluation } from "../drift/compute-drift-table";
import { emptyBinCounts, pickRepresentative, recordsOf } from "../drift/evaluate-counts";
import type { LoadedReference } from "../drift/load-references";
import type { PerformanceSummary } from "../performance/summarize-performance";
import type { ReadingCache } from "./reading-cache";
import { sliceOf, type MonitorModel, type Span } from "./monitor-target";
import {
  addBinSums,
  addPredictionSums,
  binSeries,
  binSumsKey,
  coverageSeries,
  dataMinutes,
  emptyPredictionSums,
  predictionSeries,
  sliceReferences,
  windowPerformance,
  type BinSums,
  type GranuleSeries,
  type PredictionSums,
  type SeriesRequest,
} from "./rollup-series";

const MINUTE_MS = 60_000;
const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;

/** What a monitor read for one bucket end: its window, a reading per target, band histories. */
export interface MonitorReadings {
  bucketEnd: Date;
  windowStart: Date;
  windowEnd: Date;
  readings: Reading[];
  /** Per target (`targetKey`), the values of the trailing buckets, oldest first (band only). */
  histories: Map<string, (number | null)[]>;
}

export const targetKey = (reading: Pick<Reading, "feature">) => reading.feature ?? "";

export interface ReadContext {
  db: Database;
  cache: ReadingCache;
}

/**
 * Label monitors look one window back: the labels of the window that just ended have not
 * arrived yet, so judging them now would report every fresh window as unlabelled.
 */
function labelLagMs(settings: MonitorSettings): number {
  return settings.metric === "label_coverage" || settings.metric === "realized_performance"
    ? settings.windowMinutes * MINUTE_MS
    : 0;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

type ValuesAt = (end: number) => Promise<Map<string, Reading>>;

/**
 * Reads a monitor for each bucket end (ascending) from the rollups, never from raw rows: one
 * query per source over the whole span that the windows, their baselines (the previous window,
 * the same window a week earlier) and a band's trailing buckets need, in granules that divide
 * them all; each window is then a sum of granules. Reference baselines come from the stored
 * reference profiles (missing share, mean score) or the reference window's performance.
 */
export async function readMonitor(
  context: ReadContext,
  model: MonitorModel,
  settings: MonitorSettings,
  ends: readonly Date[],
): Promise<MonitorReadings[]> {
  if (ends.length === 0) return [];
  const bucketMs = settings.bucketMinutes * MINUTE_MS;
  const windowMs = settings.windowMinutes * MINUTE_MS;
  const lagMs = labelLagMs(settings);
  const threshold = settings.threshold;
  const shiftMs =
    threshold.kind === "relative"
      ? threshold.baseline === "previous_period"
        ? windowMs
        : threshold.baseline === "last_week"
          ? WEEK_MS
          : 0
      : threshold.kind === "band"
        ? threshold.trailingBuckets * bucketMs
        : 0;
  let granuleMinutes = gcd(settings.bucketMinutes, settings.windowMinutes);
  if (threshold.kind === "relative" && threshold.baseline === "last_week") {
    granuleMinutes = gcd(granuleMinutes, WEEK_MS / MINUTE_MS);
  }
  const endTimes = ends.map((end) => end.getTime());
  const first = Math.min(...endTimes);
  const last = Math.max(...endTimes);
  const span: Span = {
    from: new Date(first - shiftMs - lagMs - windowMs),
    to: new Date(last - lagMs),
  };
  const request: SeriesRequest = {
    db: context.db,
    cache: context.cache,
    model,
    slice: sliceOf(settings.scope),
    span,
    granuleMs: granuleMinutes * MINUTE_MS,
  };

  const compute = await valuesReader(request, settings, windowMs, lagMs);
  const memo = new Map<number, Promise<Map<string, Reading>>>();
  const valuesAt: ValuesAt = (end) => {
    let entry = memo.get(end);
    if (!entry) memo.set(end, (entry = compute(end)));
    return entry;
  };

  const results: MonitorReadings[] = [];
  for (const end of endTimes) {
    const current = await valuesAt(end);
    let readings = [...current.values()];
    if (settings.feature !== null) {
      readings = readings.filter((reading) => reading.feature === settings.feature);
    }
    const histories = new Map<string, (number | null)[]>();
    if (threshold.kind === "relative" && threshold.baseline !== "reference") {
      const baseline = await valuesAt(end - shiftMs);
      readings = readings.map((reading) => ({
        ...reading,
        baseline: baseline.get(targetKey(reading))?.value ?? null,
      }));
    }
    if (threshold.kind === "band") {
      const past = await Promise.all(
        Array.from({ length: threshold.trailingBuckets }, (_, index) =>
          valuesAt(end - (threshold.trailingBuckets - index) * bucketMs),
        ),
      );
      for (const reading of readings) {
        const key = targetKey(reading);
        histories.set(
          key,
          past.map((values) => values.get(key)?.value ?? null),
        );
      }
    }
    results.push({
      bucketEnd: new Date(end),
      windowStart: new Date(end - lagMs - windowMs),
      windowEnd: new Date(end - lagMs),
      readings,
      histories,
    });
  }
  return results;
}

/** Sums the granules of [from, to). */
function sumGranules<Sums>(
  series: GranuleSeries<Sums>,
  from: number,
  to: number,
  granuleMs: number,
  empty: () => Sums,
  add: (into: Sums, from: Sums) => void,
): Sums {
  const total = empty();
  for (let start = from; start < to; start += granuleMs) {
    const sums = series.get(start);
    if (sums) add(total, sums);
  }
  return total;
}

const byTarget = (readings: Reading[]) =>
  new Map(readings.map((reading) => [targetKey(reading), reading]));

const share = (part: number | null, whole: number) =>
  part === null || whole <= 0 ? null : part / whole;

const PREDICTION_METRICS = new Set<MonitorMetric>([
  "traffic_volume",
  "latency",
  "error_rate",
  "ingest_health",
  "confidence",
]);
const BIN_METRICS = new Set<MonitorMetric>([
  "missing_values",
  "type_mismatch",
  "out_of_range",
  "unseen_categories",
  "feature_drift",
  "dataset_drift",
  "prediction_drift",
]);

/** The function that computes the readings of the window ending at `end`. */
async function valuesReader(
  request: SeriesRequest,
  settings: MonitorSettings,
  windowMs: number,
  lagMs: number,
): Promise<(end: number) => Promise<Map<string, Reading>>> {
  const { granuleMs } = request;
  const windowOf = (end: number) => ({ from: end - lagMs - windowMs, to: end - lagMs });
  const metric = settings.metric;

  if (PREDICTION_METRICS.has(metric)) {
    const [series, references] = await Promise.all([
      predictionSeries(request),
      metric === "confidence" ? sliceReferences(request) : Promise.resolve(null),
    ]);
    const referenceMean = references ? referenceScoreMean(references) : null;
    return (end) => {
      const { from, to } = windowOf(end);
      const sums = sumGranules(series, from, to, granuleMs, emptyPredictionSums, addPredictionSums);
      return Promise.resolve(byTarget([predictionReading(settings, sums, referenceMean)]));
    };
  }

  if (BIN_METRICS.has(metric)) {
    const [series, references] = await Promise.all([binSeries(request), sliceReferences(request)]);
    return (end) => {
      const { from, to } = windowOf(end);
      const sums = sumGranules<BinSums>(series, from, to, granuleMs, () => new Map(), addBinSums);
      return Promise.resolve(
        byTarget(binReadings(settings, request, references, sums, { from, to })),
      );
    };
  }

  if (metric === "label_coverage") {
    const series = await coverageSeries(request);
    return (end) => {
      const { from, to } = windowOf(end);
      const sums = sumGranules(
        series,
        from,
        to,
        granuleMs,
        () => ({ predictions: 0, joined: 0 }),
        (into, add) => {
          into.predictions += add.predictions;
          into.joined += add.joined;
        },
      );
      return Promise.resolve(
        byTarget([
          {
            feature: null,
            value: share(sums.joined, sums.predictions),
            samples: sums.predictions,
            details: { predictions: sums.predictions, joined: sums.joined },
          },
        ]),
      );
    };
  }

  if (metric === "realized_performance") {
    const references = request.slice.segment
      ? new Map<string, LoadedReference>()
      : await sliceReferences(request);
    const referenceWindow = newestReferenceWindow(references);
    const baseline =
      settings.threshold.kind === "relative" &&
      settings.threshold.baseline === "reference" &&
      referenceWindow
        ? performanceStatistic(
            (await windowPerformance({ ...request, span: referenceWindow })).overall,
            settings.statistic,
          ).value
        : null;
    return async (end) => {
      if (request.slice.segment) return byTarget([{ feature: null, value: null, samples: 0 }]);
      const { from, to } = windowOf(end);
      const performance = await windowPerformance({
        ...request,
        span: { from: new Date(from), to: new Date(to) },
      });
      const { value, samples } = performanceStatistic(performance.overall, settings.statistic);
      return byTarget([
        {
          feature: null,
          value,
          samples,
          baseline,
          details: {
            labelName: performance.labelName,
            coverage: performance.overall.coverage.coverage,
          },
        },
      ]);
    };
  }

  if (metric === "no_data") {
    const { before, minutes } = await dataMinutes(request);
    return (end) => {
      const from = end - windowMs;
      let lastSeen = before;
      let inWindow = 0;
      for (const minute of minutes) {
        if (minute >= end) break;
        lastSeen = minute;
        if (minute >= from) inWindow += 1;
      }
      if (lastSeen === null) {
        return Promise.resolve(byTarget([{ feature: null, value: null, samples: 0 }]));
      }
      // The usual interval between minutes with data, learned over the window (a model
      // silent for the whole window is judged against one record per window).
      const intervalMs = windowMs / Math.max(inWindow, 1);
      const silentMs = Math.max(0, end - (lastSeen + MINUTE_MS));
      return Promise.resolve(
        byTarget([
          {
            feature: null,
            value: silentMs / intervalMs,
            samples: inWindow,
            details: {
              lastDataAt: new Date(lastSeen).toISOString(),
              silentMinutes: silentMs / MINUTE_MS,
              learnedIntervalMinutes: intervalMs / MINUTE_MS,
            },
          },
        ]),
      );
    };
  }

  // canary_vs_stable belongs to a rollout (the canary issue): nothing to read here yet.
  return () => Promise.resolve(new Map());
}

function predictionReading(
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
        value: share(sums.errorCount, sums.count),
        details: { errors: sums.errorCount },
      };
    case "ingest_health":
      return {
        ...base,
        value: share(sums.schemaProblems, sums.count),
        details: { schemaProblems: sums.schemaProblems },
      };
    default: {
      const scored = sums.scoredCount ?? 0;
      const value =
        settings.statistic === "low_confidence_share"
          ? share(sums.lowConfidenceCount, scored)
          : share(sums.scoreSum, scored);
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
function referenceScoreMean(references: Map<string, LoadedReference>): number | null {
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

function newestReferenceWindow(references: Map<string, LoadedReference>): Span | null {
  let newest: { builtAt: Date; window: Span } | null = null;
  for (const { reference } of references.values()) {
    if (!reference.window) continue;
    if (!newest || reference.builtAt > newest.builtAt) {
      newest = { builtAt: reference.builtAt, window: reference.window };
    }
  }
  return newest?.window ?? null;
}

function performanceStatistic(
  summary: PerformanceSummary,
  statistic: string,
): { value: number | null; samples: number } {
  const classification = summary.classification;
  const regression = summary.regression;
  switch (statistic) {
    case "accuracy":
      return { value: classification?.accuracy ?? null, samples: classification?.count ?? 0 };
    case "precision":
    case "recall":
    case "f1":
      return {
        value: classification?.macro[statistic] ?? null,
        samples: classification?.count ?? 0,
      };
    case "roc_auc":
      return {
        value: summary.binary?.rocAuc ?? null,
        samples: (summary.binary?.positives ?? 0) + (summary.binary?.negatives ?? 0),
      };
    case "rmse":
      return { value: regression?.rmse ?? null, samples: regression?.count ?? 0 };
    default:
      return { value: regression?.mae ?? null, samples: regression?.count ?? 0 };
  }
}

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

function binReadings(
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
      value: share(pooled.counter, whole),
      samples: pooled.records,
      baseline: metric === "missing_values" ? referenceMissingShare(pooled.profiles) : null,
      details: { count: pooled.counter, records: pooled.records },
    });
  }
  return readings.sort((a, b) => (a.feature ?? "").localeCompare(b.feature ?? ""));
}
