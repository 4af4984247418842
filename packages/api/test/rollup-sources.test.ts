import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
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

describe("rollupSource over bin counts (6-hour periods, hours, minutes)", () => {
  const binModelId = "00000000-0000-4000-8000-0000000000bb";
  /** Minutes from 2026-01-02 03:00 to 2026-01-03 02:59 UTC, one every 7 minutes. */
  const minuteTimes = Array.from(
    { length: 206 },
    (_, index) => Date.parse("2026-01-02T03:00:00Z") + index * 7 * 60_000,
  );
  const binsOf = (index: number) => [index % 3, 1, index % 5 === 0 ? 2 : 0];

  async function upsertMinutes(indexes: number[]) {
    const rows = indexes.map((index) => ({
      model_id: binModelId,
      minute: new Date(minuteTimes[index]!).toISOString(),
      counts: `{${binsOf(index).join(",")}}`,
      missing: index % 2,
    }));
    // One statement for many rows, as ingest writes them: conflicts go through the update trigger.
    await database.sql`
      insert into feature_bin_rollups_minute (model_id, minute, version, deployment, target, name,
        profile_revision, counts, missing)
      select model_id::uuid, minute::timestamptz, '1', 'stable', 'feature', 'amount', 1,
        counts::bigint[], missing::bigint
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(model_id text, minute text, counts text, missing int)
      on conflict (model_id, minute, version, deployment, target, name, profile_revision)
      do update set counts = plumbline_add_counts(feature_bin_rollups_minute.counts, excluded.counts),
        missing = feature_bin_rollups_minute.missing + excluded.missing`;
  }

  beforeAll(async () => {
    const all = minuteTimes.map((_, index) => index);
    await upsertMinutes(all.filter((index) => index % 2 === 0));
    await upsertMinutes(all.filter((index) => index % 2 === 1));
    // Revisits: every third minute again, some of them in periods and hours already written.
    await upsertMinutes(all.filter((index) => index % 3 === 0));
  });

  it("keeps every 6-hour period equal to the sum of its minutes, through inserts and updates", async () => {
    const periods = await database.sql<{ period: number; counts: string[]; missing: string }[]>`
      select extract(epoch from period)::float8 * 1000 as period, counts::text[] as counts, missing::text as missing
      from feature_bin_rollups_6h where model_id = ${binModelId} order by period`;
    const expected = await database.sql<{ period: number; counts: string[]; missing: string }[]>`
      select extract(epoch from date_bin('6 hours', minute, timestamptz 'epoch'))::float8 * 1000
          as period,
        array[sum(counts[1]), sum(counts[2]), sum(counts[3])]::text[] as counts,
        sum(missing)::text as missing
      from feature_bin_rollups_minute where model_id = ${binModelId}
      group by 1 order by 1`;
    expect(periods.map((row) => new Date(row.period).toISOString())).toEqual([
      "2026-01-02T00:00:00.000Z",
      "2026-01-02T06:00:00.000Z",
      "2026-01-02T12:00:00.000Z",
      "2026-01-02T18:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
    ]);
    expect(periods).toEqual(expected);
  });

  async function binSums(from: string, to: string, bucketMs: number | null) {
    const source = rollupSource({
      table: "feature_bin_rollups",
      columns: "counts",
      modelId: binModelId,
      from: new Date(from),
      to: new Date(to),
      bucketMs,
    });
    const bucket =
      bucketMs === null
        ? sql`'all'`
        : sql.raw(`date_bin('${bucketMs} milliseconds'::interval, r.minute, timestamptz 'epoch')`);
    const rows = await database.db.execute<{ bucket: string; counts: number[] }>(sql`
      select ${bucket}::text as bucket,
        array[sum(counts[1]), sum(counts[2]), sum(counts[3])]::float8[] as counts
      from (${source}) r group by 1 order by 1`);
    const minutesOnly = await database.db.execute<{ bucket: string; counts: number[] }>(sql`
      select ${bucket}::text as bucket,
        array[sum(counts[1]), sum(counts[2]), sum(counts[3])]::float8[] as counts
      from feature_bin_rollups_minute r
      where model_id = ${binModelId} and minute >= ${from}::timestamptz and minute < ${to}::timestamptz
      group by 1 order by 1`);
    return {
      text: new PgDialect().sqlToQuery(source).sql,
      rows: [...rows],
      minutesOnly: [...minutesOnly],
    };
  }

  it("reads whole periods from the 6-hour table and the ragged ends from hours and minutes", async () => {
    const whole = await binSums("2026-01-02T04:10:00Z", "2026-01-03T01:20:00Z", null);
    expect(whole.text).toContain("feature_bin_rollups_6h");
    expect(whole.text).toContain("feature_bin_rollups_hour");
    expect(whole.text).toContain("feature_bin_rollups_minute");
    expect(whole.rows).toEqual(whole.minutesOnly);
    expect(whole.rows[0]!.counts[1]).toBeGreaterThan(100);

    const sixHourBuckets = await binSums(
      "2026-01-02T00:00:00Z",
      "2026-01-03T06:00:00Z",
      21_600_000,
    );
    expect(sixHourBuckets.text).toContain("feature_bin_rollups_6h");
    expect(sixHourBuckets.text).not.toContain("feature_bin_rollups_minute");
    expect(sixHourBuckets.rows).toEqual(sixHourBuckets.minutesOnly);
    expect(sixHourBuckets.rows).toHaveLength(5);

    // Hour buckets never read 6-hour periods.
    const hourBuckets = await binSums("2026-01-02T04:00:00Z", "2026-01-02T20:00:00Z", 3_600_000);
    expect(hourBuckets.text).not.toContain("feature_bin_rollups_6h");
    expect(hourBuckets.rows).toEqual(hourBuckets.minutesOnly);
    expect(hourBuckets.rows).toHaveLength(16);
  });
});
