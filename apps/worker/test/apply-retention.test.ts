import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createModel, createProject } from "@plumbline/db/factories";
import {
  ensurePredictionPartitions,
  listPredictionPartitions,
  utcDay,
} from "@plumbline/db/partitions";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { applyPredictionRetention } from "../src/jobs/apply-retention";

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Today at noon UTC, so that "N days ago" never straddles a partition edge by accident. (Today,
 * not a fixed date: the test database already has the partitions around today.)
 */
const NOW = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const partitionOf = (days: number) => `predictions_${utcDay(daysAgo(days)).replaceAll("-", "")}`;

let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await database.drop();
});

/** A project with one model, and a prediction (with its dedup key and a minute rollup) per age. */
async function projectWithPredictions(ageDays: number[], retentionDays: number | null = null) {
  const { db, sql } = database;
  const project = await createProject(db);
  if (retentionDays !== null) {
    await sql`update projects set prediction_retention_days = ${retentionDays} where id = ${project.id}`;
  }
  const model = await createModel(db, { projectId: project.id });
  for (const age of ageDays) {
    const ts = daysAgo(age);
    const at = ts.toISOString();
    await ensurePredictionPartitions(sql, ts, ts);
    const predictionId = `p-${age}`;
    await sql`
      insert into predictions (model_id, ts, prediction_id, version, features, prediction)
      values (${model.id}, ${at}::timestamptz, ${predictionId}, '1', '{}', '{"score": 0.5}')
    `;
    await sql`
      insert into prediction_keys (model_id, version, prediction_id, ts, payload_hash)
      values (${model.id}, '1', ${predictionId}, ${at}::timestamptz, 'hash')
    `;
    await sql`
      insert into prediction_rollups_minute (model_id, minute, version, deployment, count)
      values (${model.id}, date_trunc('minute', ${at}::timestamptz), '1', 'stable', 1)
    `;
  }
  const count = async (table: "predictions" | "prediction_keys" | "prediction_rollups_minute") => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::integer as n from ${sql(table)} where model_id = ${model.id}`;
    return row!.n;
  };
  return { project, model, count };
}

const partitionNames = async () =>
  (await listPredictionPartitions(database.sql)).map((partition) => partition.name);

describe("applyPredictionRetention", () => {
  it("drops the partitions past the default retention and keeps recent ones and rollups", async () => {
    const a = await projectWithPredictions([40, 31, 2]);
    expect(await partitionNames()).toEqual(
      expect.arrayContaining([partitionOf(40), partitionOf(31), partitionOf(2)]),
    );

    const summary = await applyPredictionRetention(database.sql, {
      defaultRetentionDays: 30,
      now: () => NOW,
    });

    expect(summary).toMatchObject({
      droppedPartitions: [partitionOf(40), partitionOf(31)],
      failed: [],
    });
    const after = await partitionNames();
    expect(after).toContain(partitionOf(2));
    expect(after).not.toContain(partitionOf(40));
    expect(after).not.toContain(partitionOf(31));
    expect(await a.count("predictions")).toBe(1);
    expect(await a.count("prediction_keys")).toBe(1);
    // Rollups are kept whatever their age.
    expect(await a.count("prediction_rollups_minute")).toBe(3);
    // The parent table is intact: new predictions still go in.
    await ensurePredictionPartitions(database.sql, NOW, NOW);
    await database.sql`
      insert into predictions (model_id, ts, prediction_id, version, features, prediction)
      values (${a.model.id}, ${NOW.toISOString()}::timestamptz, 'p-now', '1', '{}', '{}')
    `;
    expect(await a.count("predictions")).toBe(2);

    // A second run finds nothing left to do.
    expect(
      await applyPredictionRetention(database.sql, { defaultRetentionDays: 30, now: () => NOW }),
    ).toEqual({ droppedPartitions: [], deletedPredictions: 0, deletedKeys: 0, failed: [] });
  });

  it("keeps a day a project with longer retention needs, and deletes only the shorter ones' rows", async () => {
    const longer = await projectWithPredictions([40, 2], 60);
    const standard = await projectWithPredictions([40, 20, 2]);
    const shorter = await projectWithPredictions([40, 20, 5, 2], 3);

    const summary = await applyPredictionRetention(database.sql, {
      defaultRetentionDays: 30,
      now: () => NOW,
    });

    // Day -40 is kept for the 60-day project; nothing is old enough to drop as a whole.
    expect(summary.droppedPartitions).toEqual([]);
    expect(summary.failed).toEqual([]);
    expect(await partitionNames()).toContain(partitionOf(40));
    expect(await longer.count("predictions")).toBe(2);
    expect(await standard.count("predictions")).toBe(2); // -20 and -2
    expect(await shorter.count("predictions")).toBe(1); // -2
    expect(summary.deletedPredictions).toBe(1 + 3);
    expect(await shorter.count("prediction_keys")).toBe(1);
    expect(await standard.count("prediction_keys")).toBe(2);
    for (const project of [longer, standard, shorter]) {
      expect(await project.count("prediction_rollups_minute")).toBeGreaterThanOrEqual(2);
    }
    expect(await shorter.count("prediction_rollups_minute")).toBe(4);
  });

  it("refuses a per-project retention outside 1 to 3650 days", async () => {
    const project = await createProject(database.db);
    await expect(
      database.sql`update projects set prediction_retention_days = 0 where id = ${project.id}`,
    ).rejects.toThrow(/projects_prediction_retention_days_range/);
  });
});
