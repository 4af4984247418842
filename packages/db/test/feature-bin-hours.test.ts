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

/** Ingest's upsert: counts added element-wise, counters added. */
async function addMinute(sql: TransactionSql, minute: string, counts: number[], missing: number) {
  await sql`
    insert into feature_bin_rollups_minute as r
      (model_id, minute, version, deployment, target, name, profile_revision, counts, missing)
    values (${modelId}, ${minute}::timestamptz, '1', 'stable', 'feature', 'amount', 1,
            ${`{${counts.join(",")}}`}::bigint[], ${missing})
    on conflict (model_id, minute, version, deployment, target, name, profile_revision)
    do update set counts = plumbline_add_counts(r.counts, excluded.counts),
                  missing = r.missing + excluded.missing`;
}

describe("feature_bin_rollups_hour", () => {
  it("equals the per-hour sum of the minute rows after inserts and upserts, in UTC", async () => {
    // A session in a half-hour time zone must not move the hour boundaries.
    const hours = await database.sql.begin(async (sql) => {
      await sql`set local timezone = 'Asia/Kolkata'`;
      await addMinute(sql, "2026-01-01T10:05:00Z", [1, 2, 3], 1);
      await addMinute(sql, "2026-01-01T10:59:00Z", [1, 0, 3], 0);
      await addMinute(sql, "2026-01-01T11:00:00Z", [5, 0, 0], 2);
      await addMinute(sql, "2026-01-01T10:05:00Z", [10, 10, 10], 2);
      await addMinute(sql, "2026-01-01T11:00:00Z", [0, 0, 1], 0);
      return sql<{ hour: string; counts: string[]; missing: string }[]>`
        select to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as hour, counts, missing
        from feature_bin_rollups_hour order by hour`;
    });
    expect(hours.map((row) => [row.hour, row.counts.map(Number), Number(row.missing)])).toEqual([
      ["2026-01-01T10:00", [12, 12, 16], 3],
      ["2026-01-01T11:00", [5, 0, 1], 2],
    ]);
  });
});

describe("count array sums", () => {
  it("adds element-wise, padding the shorter array with zeros", async () => {
    const [row] = await database.sql<{ sums: string[] }[]>`
      select array[
        plumbline_add_counts('{1,2,3}', '{10,20}')::text,
        plumbline_add_counts('{}', '{4}')::text,
        plumbline_add_counts('{}', '{}')::text,
        plumbline_add_counts(null, '{1,-1}')::text
      ] as sums`;
    expect(row!.sums).toEqual(["{11,22,3}", "{4}", "{}", "{1,-1}"]);
  });

  it("sums signed arrays of different lengths as one aggregate", async () => {
    const [row] = await database.sql<{ total: string; none: string }[]>`
      select
        (select plumbline_sum_counts(counts, sign)::text
         from (values ('{1,2,3}'::bigint[], 1), ('{1,1}'::bigint[], -1),
                      ('{0,0,0,5}'::bigint[], 1), ('{}'::bigint[], 1)) as v(counts, sign)) as total,
        (select plumbline_sum_counts(counts, 1)::text
         from (values ('{}'::bigint[])) as v(counts)) as none`;
    expect(row!.total).toBe("{0,1,3,5}");
    expect(row!.none).toBe("{}");
  });

  it("keeps the hour exact when one statement writes several minutes of it", async () => {
    const hourModel = "00000000-0000-4000-8000-000000000002";
    const write = (rows: [string, string][]) => database.sql`
      insert into feature_bin_rollups_minute as r
        (model_id, minute, version, deployment, target, name, profile_revision, counts)
      select ${hourModel}::uuid, minute::timestamptz, '1', 'stable', 'feature', 'plan', 1,
        counts::bigint[]
      from jsonb_to_recordset(${JSON.stringify(rows.map(([minute, counts]) => ({ minute, counts })))}::jsonb)
        as v(minute text, counts text)
      on conflict (model_id, minute, version, deployment, target, name, profile_revision)
      do update set counts = plumbline_add_counts(r.counts, excluded.counts)`;
    await write([
      ["2026-01-01T10:01:00Z", "{1}"],
      ["2026-01-01T10:02:00Z", "{1,1,1}"],
    ]);
    await write([
      ["2026-01-01T10:01:00Z", "{0,0,0,2}"],
      ["2026-01-01T10:02:00Z", "{1}"],
      ["2026-01-01T10:03:00Z", "{}"],
    ]);
    const [hour] = await database.sql<{ counts: string }[]>`
      select counts::text from feature_bin_rollups_hour where model_id = ${hourModel}`;
    const [period] = await database.sql<{ counts: string }[]>`
      select counts::text from feature_bin_rollups_6h where model_id = ${hourModel}`;
    expect(hour!.counts).toBe("{3,1,1,2}");
    expect(period!.counts).toBe("{3,1,1,2}");
  });
});
