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
