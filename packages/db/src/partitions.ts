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
