import type { MonitorMetric, MonitorSettings } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import type { Reading } from "@plumbline/monitors";

import type { LoadedReference } from "../drift/load-references";
import { binReadings } from "./bin-readings";
import { newestReferenceWindow, performanceStatistic } from "./performance-readings";
import { predictionReading, referenceScoreMean } from "./prediction-readings";
import type { ReadingCache } from "./reading-cache";
import { shareOf } from "./share-of";
import { sliceOf, type MonitorModel, type Span } from "./monitor-target";
import {
  addBinSums,
  addPredictionSums,
  binSeries,
  coverageSeries,
  dataMinutes,
  emptyPredictionSums,
  predictionSeries,
  sliceReferences,
  windowPerformance,
  type BinSums,
  type GranuleSeries,
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
            value: shareOf(sums.joined, sums.predictions),
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
