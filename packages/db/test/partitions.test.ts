import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ensurePredictionPartitions } from "../src/partitions";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("prediction partitions", () => {
  it("is partitioned by range on the prediction timestamp", async () => {
    const [row] = await database.sql`
      select pg_get_partkeydef('predictions'::regclass) as key`;
    expect(row!.key).toBe("RANGE (ts)");
  });

  it("creates one partition per UTC day, idempotently and concurrently", async () => {
    const first = new Date("2030-01-01T12:00:00Z");
    const last = new Date("2030-01-03T01:00:00Z");
    await Promise.all(
      Array.from({ length: 4 }, () => ensurePredictionPartitions(database.sql, first, last)),
    );
    const rows = await database.sql<{ name: string; bound: string }[]>`
      select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'predictions'::regclass and c.relname like 'predictions_2030%'
      order by 1`;
    expect(rows.map((row) => row.name)).toEqual([
      "predictions_20300101",
      "predictions_20300102",
      "predictions_20300103",
    ]);
    expect(rows[0]!.bound).toContain("2030-01-01 00:00:00+00");
  });

  it("refuses a row for a day without a partition instead of losing it", async () => {
    await expect(
      database.sql`insert into predictions (model_id, ts, prediction_id, version, features, prediction)
        values (gen_random_uuid(), '1999-01-01T00:00:00Z', 'p1', '1', '{}', '{}')`,
    ).rejects.toThrow(/no partition/);
  });
});
