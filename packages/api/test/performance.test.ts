import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TRPCError } from "@trpc/server";

import {
  createModel,
  createModelVersion,
  createProject,
  createUser,
  grantRole,
} from "@plumbline/db/factories";
import {
  confusionRollupsMinute,
  labelRollupsMinute,
  performanceRollupsMinute,
  predictionRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createCaller, createInnerContext } from "../src";
import { computePerformance } from "../src/services/performance";

/**
 * The rollups of a known label stream, written as ingest writes them, and the figures worked
 * out by hand.
 *
 * credit-risk (binary), label "default", buckets of 5 minutes from T0:
 * - T0, version 1 (stable): 10 predictions, 4 labels joined with delays 30 s, 30 s, 5 min and
 *   2 h; confusion (predicted, actual): (1,1) x2, (0,0), (1,0); P(positive) bins: positives
 *   18 and 12, negatives 12 and 3.
 * - T0 + 6 min, version 1: 6 predictions, 2 labels (delays 90 s each); (1,1), (0,1);
 *   positives in bins 16 and 8.
 * - T0, version 2 (canary): 5 predictions, 1 label (delay 30 s); (0,0); a negative in bin 2.
 * - T0, version 1, label "chargeback": 1 joined label (fewer than "default").
 * house-price (regression), T0: 4 predictions, 3 labels, errors 2, -3 and 1.
 */
const MINUTE = 60_000;
const T0 = new Date(Date.UTC(2026, 0, 5, 10, 0));
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const window = { from: T0, to: at(10), bucketMs: 5 * MINUTE };

let database: TestDatabase;
let creditRisk = "";
let projectSlug = "";
let viewerId = "";
let outsiderId = "";
let housePrice = "";

/** An array of `length` zeros with the given entries. */
function sparse(entries: Record<number, number>, length: number): number[] {
  return Array.from({ length }, (_, index) => entries[index] ?? 0);
}
const scoreBins = (entries: Record<number, number>) => sparse(entries, 20);
const delayBins = (entries: Record<number, number>) => sparse(entries, 8);

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const project = await createProject(db);
  projectSlug = project.slug;
  viewerId = (await createUser(db)).id;
  await grantRole(db, { userId: viewerId, projectId: project.id, role: "viewer" });
  outsiderId = (await createUser(db)).id;
  creditRisk = (await createModel(db, { projectId: project.id, slug: "credit-risk" })).id;
  housePrice = (
    await createModel(db, { projectId: project.id, slug: "house-price", task: "regression" })
  ).id;
  for (const version of ["1", "2"]) await createModelVersion(db, { modelId: creditRisk, version });
  await createModelVersion(db, { modelId: housePrice, version: "1" });

  const stable = { modelId: creditRisk, version: "1", deployment: "stable" };
  const canary = { modelId: creditRisk, version: "2", deployment: "canary" };
  await db.insert(predictionRollupsMinute).values([
    { ...stable, minute: at(0), count: 10 },
    { ...stable, minute: at(6), count: 6 },
    { ...canary, minute: at(0), count: 5 },
    // Outside the window: never counted.
    { ...stable, minute: at(10), count: 100 },
    { modelId: housePrice, version: "1", deployment: "stable", minute: at(0), count: 4 },
  ]);
  await db.insert(labelRollupsMinute).values([
    {
      modelId: creditRisk,
      version: "1",
      labelName: "default",
      minute: at(0),
      joinedCount: 4,
      delaySumMs: 30_000 + 30_000 + 300_000 + 7_200_000,
      delayHistogram: delayBins({ 0: 2, 1: 1, 3: 1 }),
    },
    {
      modelId: creditRisk,
      version: "1",
      labelName: "default",
      minute: at(6),
      joinedCount: 2,
      delaySumMs: 180_000,
      delayHistogram: delayBins({ 1: 2 }),
    },
    {
      modelId: creditRisk,
      version: "2",
      labelName: "default",
      minute: at(0),
      joinedCount: 1,
      delaySumMs: 30_000,
      delayHistogram: delayBins({ 0: 1 }),
    },
    {
      modelId: creditRisk,
      version: "1",
      labelName: "chargeback",
      minute: at(0),
      joinedCount: 1,
      delaySumMs: 0,
      delayHistogram: delayBins({ 0: 1 }),
    },
    {
      modelId: housePrice,
      version: "1",
      labelName: "default",
      minute: at(0),
      joinedCount: 3,
      delaySumMs: 0,
      delayHistogram: delayBins({ 0: 3 }),
    },
  ]);
  const cell = (
    key: typeof stable,
    minute: Date,
    predictedClass: string,
    actualClass: string,
    count: number,
  ) => ({ ...key, minute, labelName: "default", predictedClass, actualClass, count });
  await db.insert(confusionRollupsMinute).values([
    cell(stable, at(0), "1", "1", 2),
    cell(stable, at(0), "0", "0", 1),
    cell(stable, at(0), "1", "0", 1),
    // A cell a revision emptied: present, and counted as nothing.
    cell(stable, at(0), "0", "1", 0),
    cell(stable, at(6), "1", "1", 1),
    cell(stable, at(6), "0", "1", 1),
    cell(canary, at(0), "0", "0", 1),
    { ...cell(stable, at(0), "1", "1", 1), labelName: "chargeback" },
  ]);
  await db.insert(performanceRollupsMinute).values([
    {
      ...stable,
      minute: at(0),
      labelName: "default",
      joinedCount: 4,
      positiveScoreHistogram: scoreBins({ 18: 1, 12: 1 }),
      negativeScoreHistogram: scoreBins({ 12: 1, 3: 1 }),
      scoreSumByBin: scoreBins({ 18: 0.9, 12: 0.62 + 0.64, 3: 0.15 }),
    },
    {
      ...stable,
      minute: at(6),
      labelName: "default",
      joinedCount: 2,
      positiveScoreHistogram: scoreBins({ 16: 1, 8: 1 }),
      negativeScoreHistogram: scoreBins({}),
      scoreSumByBin: scoreBins({ 16: 0.8, 8: 0.4 }),
    },
    {
      ...canary,
      minute: at(0),
      labelName: "default",
      joinedCount: 1,
      positiveScoreHistogram: scoreBins({}),
      negativeScoreHistogram: scoreBins({ 2: 1 }),
      scoreSumByBin: scoreBins({ 2: 0.1 }),
    },
    {
      modelId: housePrice,
      version: "1",
      deployment: "stable",
      minute: at(0),
      labelName: "default",
      joinedCount: 3,
      regressionCount: 3,
      absoluteErrorSum: 2 + 3 + 1,
      squaredErrorSum: 4 + 9 + 1,
      errorSum: 2 - 3 + 1,
      errorHistogram: sparse({ 26: 1, 11: 1, 25: 1 }, 39),
    },
  ]);
});

afterAll(async () => {
  await database.drop();
});

describe("computePerformance of a binary classifier", () => {
  it("scores the busiest label name over every version, per bucket and in total", async () => {
    const performance = await computePerformance(database.db, {
      modelId: creditRisk,
      ...window,
    });
    expect(performance.labelName).toBe("default");
    expect(performance.labelNames).toEqual(["chargeback", "default"]);
    expect(performance.buckets.map((bucket) => bucket.start)).toEqual([at(0), at(5)]);

    const { overall } = performance;
    // 21 predictions, 7 labels joined.
    expect(overall.coverage).toEqual({ predictions: 21, joined: 7, coverage: 7 / 21 });
    // Diagonal (1,1) x3 and (0,0) x2 of 7 pairs.
    expect(overall.classification?.accuracy).toBeCloseTo(5 / 7, 12);
    expect(overall.classification?.count).toBe(7);
    // Positives in bins 18, 16, 12, 8; negatives in 12, 3, 2. Each positive beats every
    // lower negative: 3 + 3 + (2 + a tie 0.5) + 2 = 10.5 of 4 x 3 = 12 pairs.
    expect(overall.binary?.rocAuc).toBeCloseTo(10.5 / 12, 12);
    expect(overall.binary).toMatchObject({ positives: 4, negatives: 3 });
    const bin12 = overall.binary?.reliability.find((point) => point.bin === 12);
    expect(bin12?.count).toBe(2);
    expect(bin12?.meanScore).toBeCloseTo(0.63, 12);
    expect(bin12?.positiveShare).toBe(0.5);
    expect(overall.regression).toBeNull();
  });

  it("narrows to a version, with per-bucket accuracy, AUC and label delay", async () => {
    const performance = await computePerformance(database.db, {
      modelId: creditRisk,
      ...window,
      version: "1",
    });
    const [first, second] = performance.buckets;
    expect(first?.coverage).toEqual({ predictions: 10, joined: 4, coverage: 0.4 });
    expect(first?.classification?.accuracy).toBe(0.75);
    // Positives 18, 12; negatives 12, 3: 2 + (1 + 0.5) = 3.5 of 4 pairs.
    expect(first?.binary?.rocAuc).toBe(0.875);
    // Delays 30 s, 30 s, 5 min, 2 h: mean 1,890,000 ms. p50: the 2nd of 4 values, the top of
    // the first bucket [0, 1 min]. p90: 3.6 of 4, 0.6 into the (1 h, 6 h] bucket:
    // 1 h + 0.6 x 5 h = 4 h.
    expect(first?.delay).toMatchObject({ joined: 4, meanMs: 1_890_000, p50Ms: 60_000 });
    expect(first?.delay.p90Ms).toBeCloseTo(14_400_000, 3);
    // Only positives in the second bucket: no ROC curve.
    expect(second?.classification?.accuracy).toBe(0.5);
    expect(second?.binary?.rocAuc).toBeNull();
    expect(performance.overall.classification?.accuracy).toBeCloseTo(4 / 6, 12);
    expect(performance.overall.coverage.coverage).toBe(6 / 16);
    // Class "1": predicted 4 times, right 3 times; occurred 4 times, found 3 times.
    const classOne = performance.overall.classification?.classes.find(
      (metrics) => metrics.className === "1",
    );
    expect(classOne).toMatchObject({ precision: 0.75, recall: 0.75, f1: 0.75 });
  });

  it("narrows coverage to a deployment through the performance rollups", async () => {
    const performance = await computePerformance(database.db, {
      modelId: creditRisk,
      ...window,
      deployment: "canary",
    });
    expect(performance.overall.coverage).toEqual({ predictions: 5, joined: 1, coverage: 0.2 });
    expect(performance.overall.classification?.accuracy).toBe(1);
  });

  it("scores another label name on request, and refuses a bucket that is not whole minutes", async () => {
    const chargeback = await computePerformance(database.db, {
      modelId: creditRisk,
      ...window,
      labelName: "chargeback",
    });
    expect(chargeback.overall.classification?.count).toBe(1);
    await expect(
      computePerformance(database.db, { modelId: creditRisk, ...window, bucketMs: 90_000 }),
    ).rejects.toThrow(/whole number of minutes/);
  });
});

describe("computePerformance of a regressor", () => {
  it("gives MAE, RMSE, mean error and the error distribution", async () => {
    const { overall } = await computePerformance(database.db, {
      modelId: housePrice,
      ...window,
    });
    expect(overall.classification).toBeNull();
    expect(overall.binary).toBeNull();
    // Errors 2, -3, 1: MAE 6/3, RMSE sqrt(14/3), mean 0.
    expect(overall.regression).toMatchObject({ count: 3, mae: 2, meanError: 0 });
    expect(overall.regression?.rmse).toBeCloseTo(Math.sqrt(14 / 3), 12);
    const filled = overall.regression?.errorDistribution.filter((bucket) => bucket.count > 0);
    expect(filled).toEqual([
      { lower: -5, upper: -2, count: 1 },
      { lower: 0.5, upper: 1, count: 1 },
      { lower: 1, upper: 2, count: 1 },
    ]);
    expect(overall.regression?.errorDistribution[0]).toEqual({
      lower: null,
      upper: -10_000,
      count: 0,
    });
    expect(overall.coverage).toEqual({ predictions: 4, joined: 3, coverage: 0.75 });
  });
});

describe("dashboard.performance over HTTP-shaped input", () => {
  const input = (slice: Record<string, unknown> = {}) => ({
    projectSlug,
    modelSlug: "credit-risk",
    range: { from: T0, to: at(10) },
    slice,
  });
  const callerAs = (userId: string) =>
    createCaller(createInnerContext({ db: database.db, userId }));

  it("gives a viewer the same figures as the service, for the window the page asks", async () => {
    const answer = await callerAs(viewerId).dashboard.performance(input());
    if (!answer.available) throw new Error("performance should be available");
    expect(answer.bucketMs).toBe(MINUTE);
    expect(answer.overall.classification?.accuracy).toBeCloseTo(5 / 7, 12);
    const canary = await callerAs(viewerId).dashboard.performance(input({ deployment: "canary" }));
    if (!canary.available) throw new Error("performance should be available");
    expect(canary.overall.classification?.accuracy).toBe(1);
  });

  it("says a segment slice has no performance instead of guessing", async () => {
    const answer = await callerAs(viewerId).dashboard.performance(
      input({ segment: { name: "region", value: "north" } }),
    );
    expect(answer).toEqual({ available: false, unavailableReason: "segment_slice" });
  });

  it("hides the project from someone without a role in it", async () => {
    await expect(callerAs(outsiderId).dashboard.performance(input())).rejects.toSatisfy(
      (error) => error instanceof TRPCError && error.code === "NOT_FOUND",
    );
  });
});
