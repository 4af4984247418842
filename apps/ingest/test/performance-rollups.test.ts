import { createModel, createModelVersion } from "@plumbline/db/factories";
import {
  confusionRollupsMinute,
  labelRollupsMinute,
  labels,
  performanceRollupsMinute,
} from "@plumbline/db/schema";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { joinRacedPendingLabels } from "../src/services/labels/join-pending-labels";
import {
  createKey,
  postPredictions,
  postRaw,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;
let token: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  token = (
    await createKey(harness.db, harness.project.id, {
      scopes: ["labels:write", "predictions:write"],
    })
  ).token;
});

afterAll(async () => {
  await harness.close();
});

/** A whole minute an hour ago (inside today's partitions), and a timestamp 10 s into it. */
const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000);
const timestamp = new Date(minute.getTime() + 10_000).toISOString();

async function postLabels(model: string, entries: Record<string, unknown>[]) {
  const response = await postRaw(
    harness.app,
    "/v1/labels",
    token,
    JSON.stringify({ model: { id: model }, labels: entries }),
    { "content-type": "application/json" },
  );
  expect(response.statusCode).toBeLessThan(300);
  return response.json<{ accepted: number; duplicates: number }>();
}

async function postRecords(model: string, records: { id: string; prediction: object }[]) {
  const response = await postPredictions(harness.app, token, {
    records: records.map(({ id, prediction }) => ({
      prediction_id: id,
      model: { id: model, version: "1" },
      timestamp,
      features: { amount: 1 },
      prediction,
    })),
  });
  expect(response.statusCode).toBe(202);
}

async function performanceOf(modelId: string) {
  const [row] = await harness.db
    .select()
    .from(performanceRollupsMinute)
    .where(eq(performanceRollupsMinute.modelId, modelId));
  return row;
}

async function confusionOf(modelId: string) {
  const cells = await harness.db
    .select()
    .from(confusionRollupsMinute)
    .where(eq(confusionRollupsMinute.modelId, modelId))
    .orderBy(asc(confusionRollupsMinute.predictedClass), asc(confusionRollupsMinute.actualClass));
  return cells.map((cell) => [cell.predictedClass, cell.actualClass, cell.count]);
}

/** A 20-bin histogram with `counts` at the given bins. */
function bins(counts: Record<number, number>, length = 20): number[] {
  return Array.from({ length }, (_, index) => counts[index] ?? 0);
}

describe("performance rollups of a binary classifier (prediction first, then labels)", () => {
  it("counts each joined pair once by the prediction's minute, and a revision replaces it", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "perf-binary",
    });
    await createModelVersion(harness.db, {
      modelId: model.id,
      version: "1",
      tags: { positive_class: "fraud" },
    });
    // `score` is the confidence of `label`: P(fraud) is 0.9, 0.7, 1 - 0.75 and 1 - 0.5,
    // so the P(fraud) bins (of 20) are 18, 14, 5 and 10.
    await postRecords("perf-binary", [
      { id: "b1", prediction: { label: "fraud", score: 0.9 } },
      { id: "b2", prediction: { label: "fraud", score: 0.7 } },
      { id: "b3", prediction: { label: "legit", score: 0.75 } },
      { id: "b4", prediction: { label: "legit", score: 0.5 } },
    ]);
    expect(
      await postLabels("perf-binary", [
        { prediction_id: "b1", actual: { label: "fraud" } },
        { prediction_id: "b2", actual: { label: "legit" } },
        { prediction_id: "b3", actual: { label: "legit" } },
        { prediction_id: "b4", actual: { label: "fraud" } },
      ]),
    ).toMatchObject({ accepted: 4 });

    expect(await confusionOf(model.id)).toEqual([
      ["fraud", "fraud", 1],
      ["fraud", "legit", 1],
      ["legit", "fraud", 1],
      ["legit", "legit", 1],
    ]);
    expect(await performanceOf(model.id)).toMatchObject({
      minute,
      version: "1",
      deployment: "stable",
      labelName: "default",
      joinedCount: 4,
      positiveScoreHistogram: bins({ 18: 1, 10: 1 }),
      negativeScoreHistogram: bins({ 14: 1, 5: 1 }),
      scoreSumByBin: bins({ 18: 0.9, 14: 0.7, 10: 0.5, 5: 0.25 }),
      regressionCount: 0,
      errorHistogram: [],
    });

    // b2 was fraud after all (revision 1): its cell and its score move, nothing doubles. The
    // same batch joins b5's first label (P(fraud) 0.5, bin 10, legit).
    await postRecords("perf-binary", [{ id: "b5", prediction: { label: "legit", score: 0.5 } }]);
    const revision = { prediction_id: "b2", actual: { label: "fraud" }, revision: 1 };
    expect(
      await postLabels("perf-binary", [
        revision,
        { prediction_id: "b5", actual: { label: "legit" } },
      ]),
    ).toMatchObject({ accepted: 2 });
    // Sent again: a duplicate, which changes nothing.
    expect(await postLabels("perf-binary", [revision])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(await confusionOf(model.id)).toEqual([
      ["fraud", "fraud", 2],
      ["fraud", "legit", 0],
      ["legit", "fraud", 1],
      ["legit", "legit", 2],
    ]);
    expect(await performanceOf(model.id)).toMatchObject({
      joinedCount: 5,
      positiveScoreHistogram: bins({ 18: 1, 14: 1, 10: 1 }),
      negativeScoreHistogram: bins({ 10: 1, 5: 1 }),
      scoreSumByBin: bins({ 18: 0.9, 14: 0.7, 10: 1, 5: 0.25 }),
    });
    const [coverage] = await harness.db
      .select()
      .from(labelRollupsMinute)
      .where(eq(labelRollupsMinute.modelId, model.id));
    expect(coverage?.joinedCount).toBe(5);
    const [stored] = await harness.db
      .select({ contribution: labels.performanceContribution })
      .from(labels)
      .where(eq(labels.predictionId, "b2"));
    expect(stored?.contribution).toEqual({
      version: "1",
      deployment: "stable",
      minute: minute.toISOString(),
      confusion: { predicted: "fraud", actual: "fraud" },
      score: { value: 0.7, bin: 14, positive: true },
      error: null,
    });
  });
});

describe("performance rollups of a regressor (labels first, then predictions)", () => {
  it("sums errors when the predictions arrive, and a revision replaces its error", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "perf-regressor",
      task: "regression",
    });
    await createModelVersion(harness.db, { modelId: model.id, version: "1" });
    await postLabels("perf-regressor", [
      { prediction_id: "r1", actual: { value: 10 } },
      { prediction_id: "r2", actual: { value: 20 } },
      { prediction_id: "r3", actual: { value: 5 } },
    ]);
    // Revised while still waiting for its prediction: only the last revision ever counts.
    await postLabels("perf-regressor", [
      { prediction_id: "r3", actual: { value: 4 }, revision: 1 },
    ]);
    expect(await performanceOf(model.id)).toBeUndefined();

    await postRecords("perf-regressor", [
      { id: "r1", prediction: { value: 12 } },
      { id: "r2", prediction: { value: 17 } },
      { id: "r3", prediction: { value: 5 } },
    ]);
    // Errors (predicted - actual): 2, -3, 1. Buckets: 2 in (1, 2] = 26, -3 in (-5, -2] = 11,
    // 1 in (0.5, 1] = 25.
    const errorBuckets = (counts: Record<number, number>) => bins(counts, 39);
    expect(await performanceOf(model.id)).toMatchObject({
      minute,
      joinedCount: 3,
      regressionCount: 3,
      absoluteErrorSum: 6,
      squaredErrorSum: 14,
      errorSum: 0,
      errorHistogram: errorBuckets({ 26: 1, 11: 1, 25: 1 }),
      positiveScoreHistogram: [],
    });
    expect(await confusionOf(model.id)).toEqual([]);

    // r1 was 13 after all: its error becomes -1, in (-2, -1] = bucket 12.
    await postLabels("perf-regressor", [
      { prediction_id: "r1", actual: { value: 13 }, revision: 2 },
    ]);
    expect(await performanceOf(model.id)).toMatchObject({
      joinedCount: 3,
      regressionCount: 3,
      absoluteErrorSum: 5,
      squaredErrorSum: 11,
      errorSum: -3,
      errorHistogram: errorBuckets({ 12: 1, 11: 1, 25: 1 }),
    });
  });
});

describe("performance rollups of a raced join", () => {
  it("are added by the maintenance run that repairs it", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "perf-raced",
    });
    await createModelVersion(harness.db, { modelId: model.id, version: "1" });
    await postRecords("perf-raced", [{ id: "x1", prediction: { score: 0.3 } }]);
    // As if a label had committed at the same moment as its prediction, neither seeing the other.
    await harness.db.insert(labels).values({
      modelId: model.id,
      predictionId: "x1",
      labelName: "default",
      actual: { label: false },
      observedAt: new Date(minute.getTime() + 70_000),
      payloadHash: "raced",
    });
    expect(await performanceOf(model.id)).toBeUndefined();
    expect(await joinRacedPendingLabels(harness.sql)).toBe(1);
    // A bare score is P(positive); a boolean label makes `true` positive: a negative in bin 6.
    expect(await performanceOf(model.id)).toMatchObject({
      joinedCount: 1,
      positiveScoreHistogram: bins({}),
      negativeScoreHistogram: bins({ 6: 1 }),
    });
  });
});
