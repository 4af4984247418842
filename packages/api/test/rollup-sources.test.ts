import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { rollupSource } from "../src/services/rollup-sources";

let database: TestDatabase;
const modelId = "00000000-0000-4000-8000-0000000000aa";

/** Minute counts: 1 at 09:59, 2 at 10:00, 4 at 10:20, 8 at 10:59, 16 at 11:30, 32 at 12:10. */
const minutes: [string, number][] = [
  ["2026-01-01T09:59:00Z", 1],
  ["2026-01-01T10:00:00Z", 2],
  ["2026-01-01T10:20:00Z", 4],
  ["2026-01-01T10:59:00Z", 8],
  ["2026-01-01T11:30:00Z", 16],
  ["2026-01-01T12:10:00Z", 32],
];

beforeAll(async () => {
  database = await createTestDatabase();
  for (const [minute, count] of minutes) {
    await database.sql`
      insert into prediction_rollups_minute (model_id, minute, version, deployment, count)
      values (${modelId}, ${minute}::timestamptz, '1', 'stable', ${count})`;
  }
});
afterAll(async () => {
  await database.drop();
});

async function sumPerBucket(from: string, to: string, bucketMs: number | null) {
  const bucket =
    bucketMs === null
      ? sql`'all'`
      : sql.raw(
          `to_char(date_bin('${bucketMs} milliseconds'::interval, r.minute, timestamptz 'epoch') at time zone 'UTC', 'HH24:MI')`,
        );
  const rows = await database.db.execute<{ bucket: string; count: number }>(sql`
    select ${bucket} as bucket, sum(r.count)::float8 as count
    from (${rollupSource({
      table: "prediction_rollups",
      columns: "count",
      modelId,
      from: new Date(from),
      to: new Date(to),
      bucketMs,
    })}) r
    group by 1 order by 1`);
  return Object.fromEntries([...rows].map((row) => [row.bucket, row.count]));
}

describe("rollupSource", () => {
  it("sums a window with ragged ends from hours and edge minutes", async () => {
    // [09:30, 12:15): 1 + 2 + 4 + 8 + 16 + 32; [10:20, 12:00): 4 + 8 + 16.
    expect(await sumPerBucket("2026-01-01T09:30:00Z", "2026-01-01T12:15:00Z", null)).toEqual({
      all: 63,
    });
    expect(await sumPerBucket("2026-01-01T10:20:00Z", "2026-01-01T12:00:00Z", null)).toEqual({
      all: 28,
    });
  });

  it("buckets by whole hours, and by sub-hour buckets from minutes only", async () => {
    expect(await sumPerBucket("2026-01-01T09:30:00Z", "2026-01-01T12:15:00Z", 3_600_000)).toEqual({
      "09:00": 1,
      "10:00": 14,
      "11:00": 16,
      "12:00": 32,
    });
    expect(await sumPerBucket("2026-01-01T10:10:00Z", "2026-01-01T11:00:00Z", 7_200_000)).toEqual({
      "10:00": 12,
    });
    expect(await sumPerBucket("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", 1_800_000)).toEqual({
      "10:00": 6,
      "10:30": 8,
    });
  });
});
