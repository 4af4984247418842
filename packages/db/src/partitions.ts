import type postgres from "postgres";

/** Days kept before today and created ahead of today at start-up. */
export const PARTITION_DAYS_BEHIND = 7;
export const PARTITION_DAYS_AHEAD = 2;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Creates the daily partitions of `predictions` for every day from `first` to `last`. */
export async function ensurePredictionPartitions(
  sql: postgres.Sql,
  first: Date,
  last: Date,
): Promise<void> {
  await sql`select ensure_prediction_partitions(${utcDay(first)}::date, ${utcDay(last)}::date)`;
}

export async function ensurePredictionPartitionsAround(sql: postgres.Sql, now: Date) {
  const day = 24 * 60 * 60 * 1000;
  await ensurePredictionPartitions(
    sql,
    new Date(now.getTime() - PARTITION_DAYS_BEHIND * day),
    new Date(now.getTime() + PARTITION_DAYS_AHEAD * day),
  );
}

export interface PredictionPartition {
  /** The partition table's name, `predictions_YYYYMMDD`. */
  name: string;
  /** Its range: rows with `from <= ts < to`. */
  from: Date;
  to: Date;
}

/**
 * The daily partitions of `predictions` with their bounds, oldest first, read from the catalog
 * (never from the names). A partition whose bounds are not a plain `FROM (...) TO (...)` range
 * (a default partition, say) is left out: retention never touches what it cannot date.
 */
export async function listPredictionPartitions(sql: postgres.Sql): Promise<PredictionPartition[]> {
  // Bounds are parsed by PostgreSQL itself (the text form follows the session's time zone), and
  // come back as epoch milliseconds: Drizzle, which shares the client, turns off date parsing.
  const rows = await sql<{ name: string; fromMs: number; toMs: number }[]>`
    with bounds as (
      select c.relname as name,
             regexp_match(
               pg_get_expr(c.relpartbound, c.oid),
               '^FOR VALUES FROM [(]''([^'']+)''[)] TO [(]''([^'']+)''[)]$'
             ) as range
      from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_namespace n on n.oid = c.relnamespace
      where i.inhparent = 'public.predictions'::regclass and n.nspname = 'public'
    )
    select name,
           (extract(epoch from range[1]::timestamptz) * 1000)::float8 as "fromMs",
           (extract(epoch from range[2]::timestamptz) * 1000)::float8 as "toMs"
    from bounds
    where range is not null
    order by 2
  `;
  return rows.map((row) => ({
    name: row.name,
    from: new Date(row.fromMs),
    to: new Date(row.toMs),
  }));
}
