import { sql, type SQL } from "drizzle-orm";

import {
  buildBucketAxis,
  fillBuckets,
  shareOf,
  type BucketPoint,
  type DashboardWindow,
} from "./bucket-axis";
import { echoSlice, type DashboardQuery, type EchoedSlice } from "./dashboard-query";
import { quantilesFromHistogram } from "./histogram-quantile";
import { LATENCY_BUCKETS, latencyBins } from "./rollup-histograms";
import { rollupSource } from "../rollup-sources";
import { bucketStart, bucketStartMs, histogramSum, selectRows } from "./rollup-sql";

export interface LatencyPercentiles {
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

export interface TrafficBucket extends BucketPoint, LatencyPercentiles {
  /** Predictions stored in the bucket; null when none arrived (a gap, not a zero). */
  count: number | null;
  errorCount: number | null;
  errorRate: number | null;
}

export interface DashboardTraffic {
  window: DashboardWindow;
  slice: EchoedSlice;
  /**
   * Which series the slice can show. Segment rollups hold counts only, so a segment slice has
   * exact counts and no error or latency series (those stay null).
   */
  available: { count: true; errors: boolean; latency: boolean };
  buckets: TrafficBucket[];
  totals: LatencyPercentiles & {
    count: number;
    errorCount: number | null;
    errorRate: number | null;
  };
  /** Versions and deployments that served predictions in the window (and slice), most first. */
  versions: { version: string; count: number }[];
  deployments: { deployment: string; count: number }[];
  /** Start of the latest minute with data in the slice, at any time (not only in the window). */
  lastDataAt: Date | null;
}

interface TrafficRow {
  bucket_ms: number;
  version: string;
  deployment: string;
  count: number;
  error_count: number | null;
  latency_histogram: number[] | null;
}

interface BucketSums {
  count: number;
  errorCount: number;
  latency: number[];
}

const PERCENTILES = [0.5, 0.95, 0.99] as const;

/** Volume, errors and latency percentiles per bucket (and over the window) from rollups. */
export async function computeTraffic(query: DashboardQuery): Promise<DashboardTraffic> {
  const { db, model, window, slice } = query;
  const segment = slice.segment;
  const axis = buildBucketAxis(window);
  const where = {
    modelId: model.id,
    from: window.from,
    to: window.to,
    bucketMs: window.bucketMs,
    version: slice.version,
    deployment: slice.deployment,
  };

  const rowsQuery: SQL = segment
    ? sql`
        select ${bucketStartMs(sql.raw("s.minute"), window.bucketMs)} as bucket_ms,
          s.version, s.deployment, sum(s.count)::float8 as count,
          null::float8 as error_count, null::float8[] as latency_histogram
        from (${rollupSource({
          ...where,
          table: "segment_rollups",
          columns: "version, deployment, count",
          filters: [sql`segment = ${segment.name}`, sql`value = ${segment.value}`],
        })}) s
        group by ${bucketStart(sql.raw("s.minute"), window.bucketMs)}, 2, 3`
    : sql`
        select ${bucketStartMs(sql.raw("r.minute"), window.bucketMs)} as bucket_ms,
          r.version, r.deployment, sum(r.count)::float8 as count,
          sum(r.error_count)::float8 as error_count,
          ${histogramSum("r.latency_histogram", LATENCY_BUCKETS)} as latency_histogram
        from (${rollupSource({
          ...where,
          table: "prediction_rollups",
          columns: "version, deployment, count, error_count, latency_histogram",
        })}) r
        group by ${bucketStart(sql.raw("r.minute"), window.bucketMs)}, 2, 3`;
  const [rows, lastDataAt] = await Promise.all([
    selectRows<TrafficRow>(db, rowsQuery),
    findLastDataAt(query),
  ]);

  const perBucket = new Map<number, BucketSums>();
  const versions = new Map<string, number>();
  const deployments = new Map<string, number>();
  const total: BucketSums = { count: 0, errorCount: 0, latency: emptyLatency() };
  for (const row of rows) {
    let sums = perBucket.get(row.bucket_ms);
    if (!sums) {
      sums = { count: 0, errorCount: 0, latency: emptyLatency() };
      perBucket.set(row.bucket_ms, sums);
    }
    for (const target of [sums, total]) {
      target.count += row.count;
      target.errorCount += row.error_count ?? 0;
      row.latency_histogram?.forEach((n, index) => (target.latency[index]! += n));
    }
    versions.set(row.version, (versions.get(row.version) ?? 0) + row.count);
    deployments.set(row.deployment, (deployments.get(row.deployment) ?? 0) + row.count);
  }

  const withErrors = !segment;
  const buckets = fillBuckets(
    axis,
    [...perBucket.entries()],
    ([bucketMs]) => bucketMs,
    ([, sums], point): TrafficBucket => ({
      ...point,
      count: sums.count,
      errorCount: withErrors ? sums.errorCount : null,
      errorRate: withErrors ? shareOf(sums.errorCount, sums.count) : null,
      ...latencyPercentiles(withErrors ? sums.latency : null),
    }),
    (point): TrafficBucket => ({
      ...point,
      count: null,
      errorCount: null,
      errorRate: null,
      ...latencyPercentiles(null),
    }),
  );

  return {
    window: axis.window,
    slice: echoSlice(slice),
    available: { count: true, errors: withErrors, latency: withErrors },
    buckets,
    totals: {
      count: total.count,
      errorCount: withErrors ? total.errorCount : null,
      errorRate: withErrors ? shareOf(total.errorCount, total.count) : null,
      ...latencyPercentiles(withErrors ? total.latency : null),
    },
    versions: rankedCounts(versions).map(([version, count]) => ({ version, count })),
    deployments: rankedCounts(deployments).map(([deployment, count]) => ({ deployment, count })),
    lastDataAt,
  };
}

function emptyLatency(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

function latencyPercentiles(histogram: number[] | null): LatencyPercentiles {
  const [p50, p95, p99] = histogram
    ? quantilesFromHistogram(latencyBins(histogram), PERCENTILES)
    : [null, null, null];
  return { latencyP50Ms: p50 ?? null, latencyP95Ms: p95 ?? null, latencyP99Ms: p99 ?? null };
}

function rankedCounts(counts: Map<string, number>): [string, number][] {
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
}

/** The latest minute with data in the slice: a backward walk of the primary key's index. */
async function findLastDataAt(query: DashboardQuery): Promise<Date | null> {
  const { db, model, slice } = query;
  const filters: SQL[] = [sql`model_id = ${model.id}`];
  if (slice.version !== undefined) filters.push(sql`version = ${slice.version}`);
  if (slice.deployment !== undefined) filters.push(sql`deployment = ${slice.deployment}`);
  const table = slice.segment
    ? sql.raw("segment_rollups_minute")
    : sql.raw("prediction_rollups_minute");
  if (slice.segment) {
    filters.push(sql`segment = ${slice.segment.name}`, sql`value = ${slice.segment.value}`);
  }
  const [row] = await selectRows<{ ms: number | null }>(
    db,
    sql`
    select (extract(epoch from minute) * 1000)::float8 as ms from ${table}
    where ${sql.join(filters, sql` and `)}
    order by minute desc limit 1`,
  );
  return row?.ms == null ? null : new Date(row.ms);
}
