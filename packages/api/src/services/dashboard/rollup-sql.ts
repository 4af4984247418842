import { sql, type SQL } from "drizzle-orm";

import type { DashboardSlice } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";

/**
 * SQL pieces shared by the dashboard queries. Every query reads a rollup table by its primary
 * key's leading columns (model id, minute) and re-buckets minutes in SQL.
 */

/**
 * The start of `minute`'s bucket as epoch milliseconds (a float8, so the driver returns a
 * number). Buckets are aligned to the Unix epoch, as `resolveWindow` aligns them.
 */
export function bucketStartMs(minute: SQL, bucketMs: number): SQL {
  return sql`(extract(epoch from date_bin(${`${bucketMs} milliseconds`}::interval, ${minute}, timestamptz 'epoch')) * 1000)::float8`;
}

/** `model_id = ? and minute in [from, to)` and the slice's version and deployment, if any. */
export function rollupWhere(
  table: string,
  input: {
    modelId: string;
    from: Date;
    to: Date;
    slice: Pick<DashboardSlice, "version" | "deployment">;
  },
): SQL {
  const column = (name: string) => sql.raw(`${table}.${name}`);
  const parts: SQL[] = [
    sql`${column("model_id")} = ${input.modelId}`,
    sql`${column("minute")} >= ${input.from.toISOString()}::timestamptz`,
    sql`${column("minute")} < ${input.to.toISOString()}::timestamptz`,
  ];
  if (input.slice.version !== undefined)
    parts.push(sql`${column("version")} = ${input.slice.version}`);
  if (input.slice.deployment !== undefined) {
    parts.push(sql`${column("deployment")} = ${input.slice.deployment}`);
  }
  return sql.join(parts, sql` and `);
}

/**
 * `sum(column[1])::float8, ..., sum(column[length])::float8` as one float8 array: the
 * element-wise sum of a histogram column. Summing fixed positions is several times faster than
 * `unnest ... with ordinality` over every row; positions a shorter array lacks add nothing.
 */
export function histogramSum(column: string, length: number): SQL {
  const sums = Array.from(
    { length },
    (_, index) => `coalesce(sum(${column}[${index + 1}]), 0)::float8`,
  );
  return sql.raw(`array[${sums.join(", ")}]::float8[]`);
}

/** Runs a raw dashboard query; `Row` states the columns its SQL selects (typed with casts). */
export async function selectRows<Row>(db: Database, query: SQL): Promise<Row[]> {
  const rows = await db.execute(query);
  return rows as unknown as Row[];
}

/** A timestamptz column as epoch milliseconds (float8): the raw driver returns no Date objects. */
export function epochMs(column: string): SQL {
  return sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
}
