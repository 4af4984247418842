import { sql, type SQL } from "drizzle-orm";

import type { DashboardSlice, ProfileTarget } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";

import { rollupSource } from "../rollup-sources";
import { bucketStart, bucketStartMs, histogramSum, selectRows } from "./rollup-sql";

/** Sums of the feature bin rollups for one (bucket, version, column, profile revision). */
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
      from (${rollupSource({
        table: "feature_bin_rollups",
        columns:
          "version, name, profile_revision, counts, missing, out_of_range, unseen, type_mismatch",
        modelId: input.modelId,
        from: input.from,
        to: input.to,
        bucketMs: input.bucketMs,
        version: input.slice.version,
        deployment: input.slice.deployment,
        filters: [sql`target = ${input.target}`],
      })}) f
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
