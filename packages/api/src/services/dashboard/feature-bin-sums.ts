import { sql, type SQL } from "drizzle-orm";

import type { DashboardSlice, ProfileTarget } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";

import { bucketStart, bucketStartMs, histogramSum, rollupWhere, selectRows } from "./rollup-sql";

/** Sums of `feature_bin_rollups_minute` for one (bucket, version, column, profile revision). */
export interface FeatureBinSums {
  /** Bucket start (epoch ms); the window's start when not bucketed. */
  bucketMs: number;
  version: string;
  name: string;
  profileRevision: number;
  /** Element-wise sums of the bin counts (the first `binCount` bins); empty when not asked. */
  counts: number[];
  missing: number;
  outOfRange: number;
  unseen: number;
  typeMismatch: number;
}

interface FeatureBinRow {
  bucket_ms: number;
  version: string;
  name: string;
  profile_revision: number;
  counts: number[] | null;
  missing: number;
  out_of_range: number;
  unseen: number;
  type_mismatch: number;
}

/**
 * Bin rollups of one target summed per (bucket, version, name, revision) over the window, or
 * over the whole window when `bucketMs` is null. Bin counts are summed only when `binCount` is
 * positive (positions past a profile's own length stay 0).
 */
export async function sumFeatureBins(
  db: Database,
  input: {
    modelId: string;
    from: Date;
    to: Date;
    slice: Pick<DashboardSlice, "version" | "deployment">;
    target: ProfileTarget;
    bucketMs: number | null;
    binCount: number;
  },
): Promise<FeatureBinSums[]> {
  const bucket: SQL =
    input.bucketMs === null
      ? sql`${input.from.getTime()}::float8`
      : bucketStartMs(sql.raw("f.minute"), input.bucketMs);
  const groupBucket: SQL =
    input.bucketMs === null ? sql`1` : bucketStart(sql.raw("f.minute"), input.bucketMs);
  const counts: SQL =
    input.binCount > 0 ? histogramSum("f.counts", input.binCount) : sql`null::float8[]`;
  const rows = await selectRows<FeatureBinRow>(
    db,
    sql`
      select ${bucket} as bucket_ms, f.version, f.name, f.profile_revision,
        ${counts} as counts,
        sum(f.missing)::float8 as missing, sum(f.out_of_range)::float8 as out_of_range,
        sum(f.unseen)::float8 as unseen, sum(f.type_mismatch)::float8 as type_mismatch
      from (${binRollupSources(input)}) f
      group by ${groupBucket}, 2, 3, 4`,
  );
  return rows.map((row) => ({
    bucketMs: row.bucket_ms,
    version: row.version,
    name: row.name,
    profileRevision: row.profile_revision,
    counts: row.counts ?? [],
    missing: row.missing,
    outOfRange: row.out_of_range,
    unseen: row.unseen,
    typeMismatch: row.type_mismatch,
  }));
}

const HOUR_MS = 3_600_000;

/**
 * The bin rollup rows of the window, as `minute`-keyed rows: whole hours from
 * `feature_bin_rollups_hour` (60 times fewer rows; a trigger keeps it equal to the minutes'
 * sums) when the buckets are whole hours or the window is summed whole, and the minutes at the
 * window's ragged ends, or of sub-hour buckets, from `feature_bin_rollups_minute`.
 */
function binRollupSources(input: {
  modelId: string;
  from: Date;
  to: Date;
  slice: Pick<DashboardSlice, "version" | "deployment">;
  target: ProfileTarget;
  bucketMs: number | null;
}): SQL {
  const columns = sql.raw(
    "version, name, profile_revision, counts, missing, out_of_range, unseen, type_mismatch",
  );
  const minutes = (from: Date, to: Date) => sql`
    select minute, ${columns} from feature_bin_rollups_minute m
    where ${rollupWhere("m", { ...input, from, to })} and m.target = ${input.target}`;
  const fromMs = input.from.getTime();
  const toMs = input.to.getTime();
  const hourFrom = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const hourTo = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  const hoursUsable = input.bucketMs === null || input.bucketMs % HOUR_MS === 0;
  if (!hoursUsable || hourFrom >= hourTo) return minutes(input.from, input.to);

  const hourWhere = sql.join(
    [
      sql`h.model_id = ${input.modelId}`,
      sql`h.target = ${input.target}`,
      sql`h.hour >= ${new Date(hourFrom).toISOString()}::timestamptz`,
      sql`h.hour < ${new Date(hourTo).toISOString()}::timestamptz`,
      ...(input.slice.version !== undefined ? [sql`h.version = ${input.slice.version}`] : []),
      ...(input.slice.deployment !== undefined
        ? [sql`h.deployment = ${input.slice.deployment}`]
        : []),
    ],
    sql` and `,
  );
  const sources: SQL[] = [
    sql`select hour as minute, ${columns} from feature_bin_rollups_hour h where ${hourWhere}`,
  ];
  if (fromMs < hourFrom) sources.push(minutes(input.from, new Date(hourFrom)));
  if (hourTo < toMs) sources.push(minutes(new Date(hourTo), input.to));
  return sql.join(sources, sql` union all `);
}
