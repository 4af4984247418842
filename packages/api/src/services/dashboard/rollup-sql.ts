import { sql, type SQL } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";

/**
 * SQL pieces shared by the dashboard queries. Every query reads a rollup table by its primary
 * key's leading columns (model id, minute) and re-buckets minutes in SQL.
 */

/**
 * The start of `minute`'s bucket, aligned to the Unix epoch as `resolveWindow` aligns them.
 * The interval is written into the SQL (not a parameter) so that the same expression in the
 * select list and in GROUP BY is recognised as one: the conversion to epoch milliseconds then
 * runs once per bucket instead of once per minute row.
 */
export function bucketStart(minute: SQL, bucketMs: number): SQL {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) {
    throw new RangeError(`a bucket must be a positive whole number of ms, got ${bucketMs}`);
  }
  return sql`date_bin(${sql.raw(`'${bucketMs} milliseconds'::interval`)}, ${minute}, timestamptz 'epoch')`;
}

/** The bucket start as epoch milliseconds (a float8, so the driver returns a number). */
export function bucketStartMs(minute: SQL, bucketMs: number): SQL {
  return sql`(extract(epoch from ${bucketStart(minute, bucketMs)}) * 1000)::float8`;
}

/**
 * `sum(column[1]::float8), ..., sum(column[length]::float8)` as one float8 array: the
 * element-wise sum of a histogram column. Summing fixed positions is several times faster than
 * `unnest ... with ordinality` over every row; positions a shorter array lacks add nothing.
 */
export function histogramSum(column: string, length: number): SQL {
  const sums = Array.from(
    { length },
    (_, index) => `coalesce(sum(${column}[${index + 1}]::float8), 0)`,
  );
  return sql.raw(`array[${sums.join(", ")}]::float8[]`);
}

/**
 * Runs a raw dashboard query; `Row` states the columns its SQL selects (typed with casts). The
 * pools' session settings (`work_mem`, `jit`, in `@plumbline/db/client`) keep these groupings in
 * memory and uncompiled.
 */
export async function selectRows<Row>(db: DatabaseOrTransaction, query: SQL): Promise<Row[]> {
  const rows = await db.execute(query);
  return rows as unknown as Row[];
}

/** A timestamptz column as epoch milliseconds (float8): the raw driver returns no Date objects. */
export function epochMs(column: string): SQL {
  return sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
}
