import { sql } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";

import { bucketStart } from "../dashboard/rollup-sql";
import { rollupSource } from "../rollup-sources";

/** Bin counts and quality counters summed over a bucket (or the whole window). */
export interface BinCounts {
  /** Aligned with the profile's bins, out-of-vocabulary bin last. */
  counts: number[];
  missing: number;
  outOfRange: number;
  unseen: number;
  typeMismatch: number;
}

export interface BinCountRow extends BinCounts {
  /** Start of the bucket (epoch ms); the window's start when not bucketed. */
  bucketStart: number;
  version: string;
  target: string;
  name: string;
}

export interface BinCountQuery {
  modelId: string;
  from: Date;
  to: Date;
  /** The current profile revision of each version to count; other revisions have other bins. */
  revisions: ReadonlyMap<string, number>;
  deployment?: string;
  /** Sum per bucket of this size (aligned to the epoch); null sums the whole window. */
  bucketMs: number | null;
  feature?: { target: string; name: string };
  /** The most bins of any profile counted (arrays are summed index by index up to this). */
  maxBins: number;
}

type RawRow = {
  bucket: Date;
  version: string;
  target: string;
  name: string;
  counts: (number | null)[];
  missing: number;
  out_of_range: number;
  unseen: number;
  type_mismatch: number;
};

/**
 * Sums the stored bin counts bin by bin in PostgreSQL, per (bucket, version, target, name),
 * from the coarsest rollup level the buckets allow (see `rollupSource`): whole 6-hour periods
 * and hours where they fit, minutes at the window's ragged ends and for sub-hour buckets.
 */
export async function sumBinCounts(
  db: DatabaseOrTransaction,
  query: BinCountQuery,
): Promise<BinCountRow[]> {
  if (query.revisions.size === 0 || query.to <= query.from) return [];
  const pairs = sql.join(
    [...query.revisions].map(([version, revision]) => sql`(${version}, ${revision}::int)`),
    sql`, `,
  );
  const filters = [sql`(version, profile_revision) in (${pairs})`];
  if (query.feature) {
    filters.push(sql`target = ${query.feature.target} and name = ${query.feature.name}`);
  }
  const source = rollupSource({
    table: "feature_bin_rollups",
    columns: "version, target, name, counts, missing, out_of_range, unseen, type_mismatch",
    modelId: query.modelId,
    from: query.from,
    to: query.to,
    bucketMs: query.bucketMs,
    deployment: query.deployment,
    filters,
  });
  const bucket =
    query.bucketMs === null
      ? sql`${query.from.toISOString()}::timestamptz`
      : bucketStart(sql.raw("minute"), query.bucketMs);

  // Index by index (`sum(counts[i])`) is about 6 times faster than unnest-and-regroup here:
  // one aggregate pass, no row per bin. Indexes past a shorter array sum to null, read as 0.
  // Summed as float8 (exact for integers below 2^53), about 20% faster than bigint's numeric
  // accumulator at 30 days.
  const perBin = sql.join(
    Array.from({ length: Math.max(query.maxBins, 1) }, (_, index) =>
      sql.raw(`sum(counts[${index + 1}]::float8)`),
    ),
    sql`, `,
  );
  const rows = await db.execute<RawRow>(sql`
    select ${bucket} as bucket, version, target, name, array[${perBin}]::float8[] as counts,
      sum(missing)::float8 as missing, sum(out_of_range)::float8 as out_of_range,
      sum(unseen)::float8 as unseen, sum(type_mismatch)::float8 as type_mismatch
    from (${source}) as r
    group by 1, version, target, name`);

  return rows.map((row) => ({
    bucketStart: new Date(row.bucket).getTime(),
    version: row.version,
    target: row.target,
    name: row.name,
    counts: row.counts.map((count) => count ?? 0),
    missing: row.missing,
    outOfRange: row.out_of_range,
    unseen: row.unseen,
    typeMismatch: row.type_mismatch,
  }));
}
