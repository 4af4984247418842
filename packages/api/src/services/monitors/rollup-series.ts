import { sql } from "drizzle-orm";

import type { DashboardSlice } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";

import { LATENCY_BUCKETS } from "../dashboard/rollup-histograms";
import { bucketStart, bucketStartMs, histogramSum, selectRows } from "../dashboard/rollup-sql";
import { addBinCounts } from "../drift/evaluate-counts";
import {
  loadReferences,
  maxBinsOf,
  profileKey,
  type LoadedReference,
} from "../drift/load-references";
import { sumBinCounts, type BinCounts } from "../drift/sum-bin-counts";
import { computePerformance } from "../performance/compute-performance";
import { rollupSource } from "../rollup-sources";
import type { ReadingCache } from "./reading-cache";
import { sliceKey, type MonitorModel, type Span } from "./monitor-target";

/**
 * Additive sums of the rollups per granule (a bucket of `granuleMs`, aligned to the epoch): a
 * monitor's window is the sum of the granules it covers, so one query over the whole span
 * serves the current window, its baselines and a band's history alike.
 */
export type GranuleSeries<Sums> = Map<number, Sums>;

export interface SeriesRequest {
  db: Database;
  cache: ReadingCache;
  model: MonitorModel;
  slice: DashboardSlice;
  span: Span;
  granuleMs: number;
}

const keyOf = (source: string, request: SeriesRequest) =>
  [
    source,
    request.model.id,
    sliceKey(request.slice),
    request.span.from.getTime(),
    request.span.to.getTime(),
    request.granuleMs,
  ].join("|");

/** Volume, errors, latency, schema problems and scores of a granule. */
export interface PredictionSums {
  count: number;
  /** Null for a segment slice: segment rollups hold counts only. */
  errorCount: number | null;
  latencyHistogram: number[] | null;
  schemaProblems: number | null;
  scoredCount: number | null;
  scoreSum: number | null;
  lowConfidenceCount: number | null;
}

interface PredictionRow {
  bucket_ms: number;
  count: number;
  error_count: number | null;
  latency_histogram: number[] | null;
  schema_problems: number | null;
  score_count: number | null;
  score_sum: number | null;
  low_confidence_count: number | null;
}

/** One query on `prediction_rollups` (or `segment_rollups` for a segment slice) per span. */
export function predictionSeries(request: SeriesRequest): Promise<GranuleSeries<PredictionSums>> {
  return request.cache.get(keyOf("predictions", request), async () => {
    const { db, model, slice, span, granuleMs } = request;
    const where = {
      modelId: model.id,
      from: span.from,
      to: span.to,
      bucketMs: granuleMs,
      version: slice.version,
      deployment: slice.deployment,
    };
    const query = slice.segment
      ? sql`
        select ${bucketStartMs(sql.raw("s.minute"), granuleMs)} as bucket_ms,
          sum(s.count)::float8 as count, null::float8 as error_count,
          null::float8[] as latency_histogram, null::float8 as schema_problems,
          null::float8 as score_count, null::float8 as score_sum,
          null::float8 as low_confidence_count
        from (${rollupSource({
          ...where,
          table: "segment_rollups",
          columns: "count",
          filters: [sql`segment = ${slice.segment.name}`, sql`value = ${slice.segment.value}`],
        })}) s
        group by ${bucketStart(sql.raw("s.minute"), granuleMs)}`
      : sql`
        select ${bucketStartMs(sql.raw("r.minute"), granuleMs)} as bucket_ms,
          sum(r.count)::float8 as count, sum(r.error_count)::float8 as error_count,
          ${histogramSum("r.latency_histogram", LATENCY_BUCKETS)} as latency_histogram,
          sum(r.unknown_feature_count + r.type_mismatch_count)::float8 as schema_problems,
          sum(r.score_count)::float8 as score_count, sum(r.score_sum)::float8 as score_sum,
          sum(r.low_confidence_count)::float8 as low_confidence_count
        from (${rollupSource({
          ...where,
          table: "prediction_rollups",
          columns:
            "count, error_count, latency_histogram, unknown_feature_count, type_mismatch_count, " +
            "score_count, score_sum, low_confidence_count",
        })}) r
        group by ${bucketStart(sql.raw("r.minute"), granuleMs)}`;
    const rows = await selectRows<PredictionRow>(db, query);
    return new Map(
      rows.map((row) => [
        row.bucket_ms,
        {
          count: row.count,
          errorCount: row.error_count,
          latencyHistogram: row.latency_histogram,
          schemaProblems: row.schema_problems,
          scoredCount: row.score_count,
          scoreSum: row.score_sum,
          lowConfidenceCount: row.low_confidence_count,
        },
      ]),
    );
  });
}

export function emptyPredictionSums(): PredictionSums {
  return {
    count: 0,
    errorCount: null,
    latencyHistogram: null,
    schemaProblems: null,
    scoredCount: null,
    scoreSum: null,
    lowConfidenceCount: null,
  };
}

const addNullable = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : a + b;

export function addPredictionSums(into: PredictionSums, from: PredictionSums): void {
  into.count += from.count;
  into.errorCount = addNullable(into.errorCount, from.errorCount);
  into.schemaProblems = addNullable(into.schemaProblems, from.schemaProblems);
  into.scoredCount = addNullable(into.scoredCount, from.scoredCount);
  into.scoreSum = addNullable(into.scoreSum, from.scoreSum);
  into.lowConfidenceCount = addNullable(into.lowConfidenceCount, from.lowConfidenceCount);
  if (from.latencyHistogram) {
    if (!into.latencyHistogram) into.latencyHistogram = [...from.latencyHistogram];
    else
      from.latencyHistogram.forEach(
        (n, i) => (into.latencyHistogram![i] = (into.latencyHistogram![i] ?? 0) + n),
      );
  }
}

/** The current references of the slice's versions (all versions with one, by default). */
export function sliceReferences(
  request: Pick<SeriesRequest, "db" | "cache" | "model" | "slice">,
): Promise<Map<string, LoadedReference>> {
  const version = request.slice.version;
  return request.cache.get(`references|${request.model.id}|${version ?? "*"}`, () =>
    loadReferences(request.db, request.model.id, version ? [version] : undefined),
  );
}

/** Bin counts of a granule per `version \0 target \0 name`. */
export type BinSums = Map<string, BinCounts>;

export const binSumsKey = (version: string, target: string, name: string) =>
  `${version}\u0000${profileKey(target, name)}`;

/**
 * Feature, prediction and score bin counts per granule, for the current profile revision of
 * each referenced version: `sumBinCounts` of the drift service, once per span. A segment slice
 * has none (bin rollups are not kept per segment).
 */
export function binSeries(request: SeriesRequest): Promise<GranuleSeries<BinSums>> {
  return request.cache.get(keyOf("bins", request), async (): Promise<GranuleSeries<BinSums>> => {
    if (request.slice.segment) return new Map<number, BinSums>();
    const references = await sliceReferences(request);
    const revisions = new Map(
      [...references].map(([version, loaded]) => [version, loaded.reference.revision]),
    );
    const rows = await sumBinCounts(request.db, {
      modelId: request.model.id,
      from: request.span.from,
      to: request.span.to,
      revisions,
      ...(request.slice.deployment ? { deployment: request.slice.deployment } : {}),
      bucketMs: request.granuleMs,
      maxBins: maxBinsOf(references),
    });
    const series: GranuleSeries<BinSums> = new Map();
    for (const row of rows) {
      let sums = series.get(row.bucketStart);
      if (!sums) series.set(row.bucketStart, (sums = new Map<string, BinCounts>()));
      const key = binSumsKey(row.version, row.target, row.name);
      const existing = sums.get(key);
      if (existing) addBinCounts(existing, row);
      else
        sums.set(key, {
          // Positions past a shorter profile's bins come back from the float8[] sum as NULL,
          // which the driver may read as NaN: they hold nothing.
          counts: row.counts.map((count) => (Number.isFinite(count) ? count : 0)),
          missing: row.missing,
          outOfRange: row.outOfRange,
          unseen: row.unseen,
          typeMismatch: row.typeMismatch,
        });
    }
    return series;
  });
}

export function addBinSums(into: BinSums, from: BinSums): void {
  for (const [key, counts] of from) {
    const existing = into.get(key);
    if (existing) addBinCounts(existing, counts);
    else into.set(key, { ...counts, counts: [...counts.counts] });
  }
}

/** Predictions and the labels joined to them, per granule (by the prediction's time). */
export interface CoverageSums {
  predictions: number;
  joined: number;
}

/** Label coverage per granule, from `computePerformance` of the performance service. */
export function coverageSeries(request: SeriesRequest): Promise<GranuleSeries<CoverageSums>> {
  return request.cache.get(
    keyOf("coverage", request),
    async (): Promise<GranuleSeries<CoverageSums>> => {
      if (request.slice.segment) return new Map<number, CoverageSums>();
      const performance = await computePerformance(request.db, {
        modelId: request.model.id,
        from: request.span.from,
        to: request.span.to,
        bucketMs: request.granuleMs,
        ...(request.slice.version ? { version: request.slice.version } : {}),
        ...(request.slice.deployment ? { deployment: request.slice.deployment } : {}),
      });
      return new Map(
        performance.buckets.map((bucket) => [
          bucket.start.getTime(),
          { predictions: bucket.coverage.predictions, joined: bucket.coverage.joined },
        ]),
      );
    },
  );
}

/**
 * The minutes with traffic in the span, ascending, and the last minute with traffic before it:
 * what the no-data monitor learns the usual interval from. A backward walk of the primary key.
 */
export function dataMinutes(
  request: Omit<SeriesRequest, "granuleMs">,
): Promise<{ before: number | null; minutes: number[] }> {
  return request.cache.get(
    [
      "minutes",
      request.model.id,
      sliceKey(request.slice),
      request.span.from.getTime(),
      request.span.to.getTime(),
    ].join("|"),
    async () => {
      const { db, model, slice, span } = request;
      const table = slice.segment
        ? sql.raw("segment_rollups_minute")
        : sql.raw("prediction_rollups_minute");
      const filters = [sql`model_id = ${model.id}`];
      if (slice.version !== undefined) filters.push(sql`version = ${slice.version}`);
      if (slice.deployment !== undefined) filters.push(sql`deployment = ${slice.deployment}`);
      if (slice.segment) {
        filters.push(sql`segment = ${slice.segment.name}`, sql`value = ${slice.segment.value}`);
      }
      const where = sql.join(filters, sql` and `);
      const [minutes, before] = await Promise.all([
        selectRows<{ ms: number }>(
          db,
          sql`select distinct (extract(epoch from minute) * 1000)::float8 as ms from ${table}
            where ${where} and minute >= ${span.from.toISOString()}::timestamptz
              and minute < ${span.to.toISOString()}::timestamptz
            order by 1`,
        ),
        selectRows<{ ms: number }>(
          db,
          sql`select (extract(epoch from minute) * 1000)::float8 as ms from ${table}
            where ${where} and minute < ${span.from.toISOString()}::timestamptz
            order by minute desc limit 1`,
        ),
      ]);
      return { before: before[0]?.ms ?? null, minutes: minutes.map((row) => row.ms) };
    },
  );
}

/** A model's realised performance over one window (labels by the prediction's time). */
export function windowPerformance(
  request: Omit<SeriesRequest, "granuleMs">,
): ReturnType<typeof computePerformance> {
  const { span } = request;
  return request.cache.get(keyOf("performance", { ...request, granuleMs: 0 }), () =>
    computePerformance(request.db, {
      modelId: request.model.id,
      from: span.from,
      to: span.to,
      bucketMs: span.to.getTime() - span.from.getTime(),
      ...(request.slice.version ? { version: request.slice.version } : {}),
      ...(request.slice.deployment ? { deployment: request.slice.deployment } : {}),
    }),
  );
}
