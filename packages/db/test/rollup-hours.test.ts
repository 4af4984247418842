import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TransactionSql } from "postgres";

import { createTestDatabase, type TestDatabase } from "../src/testing";

let database: TestDatabase;
const modelId = "00000000-0000-4000-8000-000000000001";

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/**
 * Each minute rollup and the hour table a trigger keeps beside it: the key columns besides
 * the model and the time, the summed columns, and the ingest-style upsert of one row.
 */
interface RollupTable {
  name: string;
  keys: string[];
  sums: string[];
  upsert: (sql: TransactionSql, minute: string, n: number) => Promise<unknown>;
}

const bigints = (values: number[]) => `{${values.join(",")}}`;

const tables: RollupTable[] = [
  {
    name: "prediction_rollups",
    keys: ["version", "deployment"],
    sums: [
      "count",
      "score_sum",
      "score_histogram",
      "latency_histogram",
      "duplicate_count",
      "partial_count",
    ],
    upsert: (sql, minute, n) => sql`
      insert into prediction_rollups_minute as r (model_id, minute, version, deployment, count,
        score_sum, score_histogram, latency_histogram, duplicate_count, partial_count)
      values (${modelId}, ${minute}::timestamptz, '1', 'stable', ${n}, ${n / 4},
        ${bigints([n, 0, 2 * n])}::bigint[], ${bigints(n > 2 ? [n, n, n, n] : [n])}::bigint[],
        ${n % 2}, 1)
      on conflict (model_id, minute, version, deployment) do update set
        count = r.count + excluded.count, score_sum = r.score_sum + excluded.score_sum,
        score_histogram = plumbline_add_counts(r.score_histogram, excluded.score_histogram),
        latency_histogram = plumbline_add_counts(r.latency_histogram, excluded.latency_histogram),
        duplicate_count = r.duplicate_count + excluded.duplicate_count,
        partial_count = r.partial_count + excluded.partial_count`,
  },
  {
    name: "segment_rollups",
    keys: ["version", "deployment", "segment", "value"],
    sums: ["count"],
    upsert: (sql, minute, n) => sql`
      insert into segment_rollups_minute as r
        (model_id, minute, version, deployment, segment, value, count)
      values (${modelId}, ${minute}::timestamptz, '1', 'stable', 'region',
        ${n % 2 === 0 ? "eu" : "us"}, ${n})
      on conflict (model_id, minute, version, deployment, segment, value)
      do update set count = r.count + excluded.count`,
  },
  {
    name: "label_rollups",
    keys: ["version", "label_name"],
    sums: ["joined_count", "delay_sum_ms", "delay_histogram"],
    upsert: (sql, minute, n) => sql`
      insert into label_rollups_minute as r
        (model_id, minute, version, label_name, joined_count, delay_sum_ms, delay_histogram)
      values (${modelId}, ${minute}::timestamptz, '1', 'fraud', ${n}, ${n * 1000},
        ${bigints([0, n])}::bigint[])
      on conflict (model_id, minute, version, label_name) do update set
        joined_count = r.joined_count + excluded.joined_count,
        delay_sum_ms = r.delay_sum_ms + excluded.delay_sum_ms,
        delay_histogram = plumbline_add_counts(r.delay_histogram, excluded.delay_histogram)`,
  },
  {
    name: "confusion_rollups",
    keys: ["version", "deployment", "label_name", "predicted_class", "actual_class"],
    sums: ["count"],
    upsert: (sql, minute, n) => sql`
      insert into confusion_rollups_minute as r (model_id, minute, version, deployment,
        label_name, predicted_class, actual_class, count)
      values (${modelId}, ${minute}::timestamptz, '1', 'stable', 'fraud', 'true',
        ${n > 2 ? "true" : "false"}, ${n})
      on conflict (model_id, minute, version, deployment, label_name, predicted_class, actual_class)
      do update set count = r.count + excluded.count`,
  },
  {
    name: "performance_rollups",
    keys: ["version", "deployment", "label_name"],
    sums: [
      "joined_count",
      "positive_score_histogram",
      "negative_score_histogram",
      "score_sum_by_bin",
      "regression_count",
      "squared_error_sum",
      "error_histogram",
    ],
    // A revised label subtracts: negative n are written like positive ones.
    upsert: (sql, minute, n) => sql`
      insert into performance_rollups_minute as r (model_id, minute, version, deployment,
        label_name, joined_count, positive_score_histogram, negative_score_histogram,
        score_sum_by_bin, regression_count, squared_error_sum, error_histogram)
      values (${modelId}, ${minute}::timestamptz, '1', 'stable', 'fraud', ${n},
        ${bigints([n, 0])}::bigint[], ${bigints([0, 0, n])}::bigint[],
        ${`{${n * 0.5},${n * 0.25}}`}::float8[], ${n}, ${n * n}, ${bigints([n])}::bigint[])
      on conflict (model_id, minute, version, deployment, label_name) do update set
        joined_count = r.joined_count + excluded.joined_count,
        positive_score_histogram =
          plumbline_add_counts(r.positive_score_histogram, excluded.positive_score_histogram),
        negative_score_histogram =
          plumbline_add_counts(r.negative_score_histogram, excluded.negative_score_histogram),
        score_sum_by_bin = plumbline_add_sums(r.score_sum_by_bin, excluded.score_sum_by_bin),
        regression_count = r.regression_count + excluded.regression_count,
        squared_error_sum = r.squared_error_sum + excluded.squared_error_sum,
        error_histogram = plumbline_add_counts(r.error_histogram, excluded.error_histogram)`,
  },
];

type Row = Record<string, unknown>;

/**
 * The minute rows summed per (hour, key) in JavaScript, the way the readers add them: numbers
 * added, arrays element-wise (a shorter array adds nothing past its end).
 */
function sumPerHour(rows: Row[], table: RollupTable): Row[] {
  const perKey = new Map<string, Row>();
  for (const row of rows) {
    const hour = String(row.hour);
    const id = JSON.stringify([hour, ...table.keys.map((key) => row[key])]);
    const sum = perKey.get(id) ?? {
      hour,
      ...Object.fromEntries(table.keys.map((k) => [k, row[k]])),
    };
    for (const column of table.sums) {
      const value = row[column];
      if (Array.isArray(value)) {
        const total = (sum[column] as number[] | undefined) ?? [];
        value.forEach((n, index) => (total[index] = (total[index] ?? 0) + Number(n)));
        sum[column] = total;
      } else {
        sum[column] = ((sum[column] as number | undefined) ?? 0) + Number(value);
      }
    }
    perKey.set(id, sum);
  }
  return [...perKey.values()];
}

/** The hour rows with numbers and arrays as plain numbers. */
function numbersOf(rows: Row[], table: RollupTable): Row[] {
  return rows.map((row) => ({
    hour: row.hour,
    ...Object.fromEntries(table.keys.map((key) => [key, row[key]])),
    ...Object.fromEntries(
      table.sums.map((column) => {
        const value = row[column];
        return [column, Array.isArray(value) ? value.map(Number) : Number(value)];
      }),
    ),
  }));
}

describe("hour rollups", () => {
  it.each(tables)(
    "$name: the hour table equals the per-hour sums of the minute rows after inserts and upserts",
    async (table) => {
      const minutes = [
        ["2026-01-01T10:05:00Z", 1],
        ["2026-01-01T10:59:00Z", 3],
        ["2026-01-01T11:00:00Z", 2],
        ["2026-01-01T10:05:00Z", 4],
        ["2026-01-01T11:00:00Z", -1],
        ["2026-01-01T10:30:00Z", 5],
      ] as const;
      const keys = table.keys.join(", ");
      const utcHour = (column: string) =>
        `to_char(date_bin('1 hour', ${column}, timestamptz 'epoch') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as hour`;
      // A session in a half-hour time zone must not move the hour boundaries.
      const { minuteRows, hourRows } = await database.sql.begin(async (sql) => {
        await sql`set local timezone = 'Asia/Kolkata'`;
        for (const [minute, n] of minutes) await table.upsert(sql, minute, n);
        // One statement updating several rows in two hours (to the same values).
        await sql.unsafe(`
          update ${table.name}_minute set ${table.sums[0]} = ${table.sums[0]}
          where minute >= '2026-01-01T10:00:00Z'`);
        const minuteRows = await sql.unsafe<Row[]>(`
          select ${utcHour("minute")}, ${keys}, ${table.sums.join(", ")}
          from ${table.name}_minute order by minute, ${keys}`);
        const hourRows = await sql.unsafe<Row[]>(`
          select ${utcHour("hour")}, ${keys}, ${table.sums.join(", ")}
          from ${table.name}_hour order by hour, ${keys}`);
        return { minuteRows: [...minuteRows], hourRows: [...hourRows] };
      });
      const fromMinutes = sumPerHour(minuteRows, table);
      const fromHours = numbersOf(hourRows, table);
      expect(fromMinutes.length).toBeGreaterThan(1);
      expect(fromHours).toEqual(fromMinutes);
    },
  );

  it("sums hours by hand: two prediction minutes and an upsert in one hour, one in the next", async () => {
    const rows = await database.sql<{ hour: string; count: string; score_histogram: string[] }[]>`
      select to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as hour, count,
        score_histogram
      from prediction_rollups_hour where model_id = ${modelId} order by hour`;
    // From the first test: n = 1, 3, 4, 5 in 10:00 and 2, -1 in 11:00; histogram [n, 0, 2n].
    expect(
      rows.map((row) => [row.hour, Number(row.count), row.score_histogram.map(Number)]),
    ).toEqual([
      ["2026-01-01T10:00", 13, [13, 0, 26]],
      ["2026-01-01T11:00", 1, [1, 0, 2]],
    ]);
  });
});
