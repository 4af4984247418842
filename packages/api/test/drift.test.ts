import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  buildReferenceProfiles,
  storeReferenceBaseline,
  toReferenceRows,
} from "@plumbline/db/baselines";
import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
} from "@plumbline/db/factories";
import {
  featureBinRollupsHour,
  featureBinRollupsMinute,
  predictionRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import { compareCounts, type ReferenceProfile } from "@plumbline/drift";

import { createCaller, createInnerContext } from "../src";
import { computeDriftHeatmap } from "../src/services/drift/compute-drift-heatmap";

/**
 * Seeded rollups with known answers. The reference of versions 1 and 2 is the same 1,000 rows:
 * `amount` = 0.5, 1.5, ..., 999.5 (decile bins: edges 99.5, 199.5, ..., 899.5, so the bins hold
 * 99, 100 x 8 and 101 values) and `plan` cycling free / pro / team. Traffic: 06:00-12:00 UTC on
 * 2026-03-01, each minute 100 `amount` values spread evenly over the ten bins and 99 `plan`
 * values spread evenly over the three plans. Version 1's `amount` shifts from 10:00: every
 * value lands in the upper five bins. Version 2 (canary) never shifts.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY_START = Date.parse("2026-03-01T00:00:00Z");
const TRAFFIC_FROM = DAY_START + 6 * HOUR;
const SHIFT_FROM = DAY_START + 10 * HOUR;
const TRAFFIC_TO = DAY_START + 12 * HOUR;

const CALM_AMOUNT = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
const SHIFTED_AMOUNT = [0, 0, 0, 0, 0, 20, 20, 20, 20, 20];
const PLAN = [33, 33, 33, 0];

let database: TestDatabase;
let viewerId = "";
let amountProfile: ReferenceProfile;
let planProfile: ReferenceProfile;

const caller = () => createCaller(createInnerContext({ db: database.db, userId: viewerId }));
const range = (from: number, to: number) => ({ from: new Date(from), to: new Date(to) });
/** 60 hours from midnight (the end is inclusive): hour buckets, read from the hour rollups. */
const DAY_RANGE = range(DAY_START, DAY_START + 60 * HOUR - 1);
/** The two shifted hours. */
const SHIFT_RANGE = range(SHIFT_FROM, TRAFFIC_TO - 1);

function referenceRows() {
  return toReferenceRows(
    Array.from({ length: 1000 }, (_, i) => ({
      amount: i + 0.5,
      plan: ["free", "pro", "team"][i % 3]!,
    })),
  );
}

function minuteRow(
  modelId: string,
  minute: number,
  version: string,
  deployment: string,
  name: string,
  counts: number[],
) {
  return {
    modelId,
    minute: new Date(minute),
    version,
    deployment,
    target: "feature",
    name,
    profileRevision: 1,
    counts,
    missing: name === "plan" ? 1 : 0,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const project = await createProject(db, { slug: "lending" });
  viewerId = (await createMember(db, { projectId: project.id, role: "viewer" })).id;
  const model = await createModel(db, {
    projectId: project.id,
    slug: "credit-risk",
    featureSchema: { amount: { type: "numeric" }, plan: { type: "categorical" } },
  });
  for (const version of ["1", "2", "3"]) {
    await createModelVersion(db, { modelId: model.id, version });
  }
  const profiles = buildReferenceProfiles(referenceRows(), model.featureSchema);
  amountProfile = profiles.find((p) => p.column.name === "amount")!.profile;
  planProfile = profiles.find((p) => p.column.name === "plan")!.profile;
  for (const version of ["1", "2"]) {
    await db.transaction((tx) =>
      storeReferenceBaseline(tx, {
        modelId: model.id,
        version,
        rows: 1000,
        profiles,
        source: "api",
      }),
    );
  }

  const rows: ReturnType<typeof minuteRow>[] = [];
  for (let minute = TRAFFIC_FROM; minute < TRAFFIC_TO; minute += MINUTE) {
    const shifted = minute >= SHIFT_FROM;
    rows.push(
      minuteRow(model.id, minute, "1", "stable", "amount", shifted ? SHIFTED_AMOUNT : CALM_AMOUNT),
      minuteRow(model.id, minute, "1", "stable", "plan", PLAN),
      minuteRow(model.id, minute, "2", "canary", "amount", CALM_AMOUNT),
      minuteRow(model.id, minute, "2", "canary", "plan", PLAN),
    );
  }
  // A lone minute the next day with 5 values: too few to say anything.
  const lone = DAY_START + 30 * HOUR;
  rows.push(minuteRow(model.id, lone, "1", "stable", "amount", [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]));
  rows.push(minuteRow(model.id, lone, "1", "stable", "plan", [2, 2, 1, 0]));
  await db.insert(featureBinRollupsMinute).values(rows);
  // Version 3 served traffic without any reference.
  await db.insert(predictionRollupsMinute).values({
    modelId: model.id,
    minute: new Date(SHIFT_FROM),
    version: "3",
    deployment: "stable",
    count: 7,
  });
});
afterAll(async () => {
  await database.drop();
});

/** Sum of per-minute counts over `minutes` minutes, bin by bin. */
const times = (counts: number[], minutes: number) => counts.map((count) => count * minutes);
const add = (a: number[], b: number[]) => a.map((value, bin) => value + (b[bin] ?? 0));

describe("drift.table", () => {
  it("flags the shifted feature of the shifted version and nothing else", async () => {
    const table = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: SHIFT_RANGE,
    });
    expect(table.unavailable).toBeNull();
    expect(table.versionsWithoutReference).toEqual(["3"]);
    expect(table.references.map((reference) => reference.version).sort()).toEqual(["1", "2"]);
    const amount = table.rows.find((row) => row.name === "amount")!;
    const plan = table.rows.find((row) => row.name === "plan")!;
    expect(table.rows[0]!.name).toBe("amount");
    expect(amount).toMatchObject({ status: "alert", version: "1", kind: "numeric" });
    expect(Object.fromEntries(amount.versions.map((v) => [v.version, v.status]))).toEqual({
      "1": "alert",
      "2": "ok",
    });
    expect(plan.status).toBe("ok");
    expect(plan.versions.every((v) => v.status === "ok")).toBe(true);
  });

  it("computes exactly what @plumbline/drift computes on the same counts", async () => {
    const table = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: DAY_RANGE,
      slice: { version: "1" },
    });
    // Version 1: 240 calm minutes, 120 shifted ones, and the lone minute.
    const counts = add(
      add(times(CALM_AMOUNT, 240), times(SHIFTED_AMOUNT, 120)),
      [1, 0, 1, 0, 1, 0, 1, 0, 1, 0],
    );
    expect(counts.reduce((a, b) => a + b)).toBe(36_005);
    const expected = compareCounts(amountProfile, counts, { currentMissing: 0 });
    const amount = table.rows.find((row) => row.name === "amount")!;
    expect(amount.currentCount).toBe(36_005);
    expect(amount.referenceCount).toBe(1000);
    expect(amount.jsDistance).toBe(expected.binned.jsDistance);
    expect(amount.psi).toBe(expected.binned.psi);
    expect(amount.pValue).toBe(expected.binned.chi2.pvalue);
    // Four calm hours dilute two shifted ones: a warning over the whole window.
    expect(amount.status).toBe("warn");
    expect(amount.status).toBe(expected.status);
    expect(amount.missingShare).toBe(0);
    expect(amount.outOfRangeShare).toBe(0);

    const planCounts = add(times(PLAN, 360), [2, 2, 1, 0]);
    const plan = table.rows.find((row) => row.name === "plan")!;
    const expectedPlan = compareCounts(planProfile, planCounts, { currentMissing: 361 });
    expect(plan.jsDistance).toBe(expectedPlan.binned.jsDistance);
    // One missing value per minute: 361 of 361 + 35,645 records.
    expect(plan.missingShare).toBeCloseTo(361 / (361 + 35_645), 12);
    expect(plan.unseenShare).toBe(0);
  });

  it("sums ragged window ends from minutes and whole hours from the hour rollups", async () => {
    // 09:30 to 10:30: 30 calm and 30 shifted minutes (hour rollups hold none of it whole).
    const table = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: range(DAY_START + 9.5 * HOUR, DAY_START + 10.5 * HOUR - 1),
      slice: { version: "1" },
    });
    const amount = table.rows.find((row) => row.name === "amount")!;
    const counts = add(times(CALM_AMOUNT, 30), times(SHIFTED_AMOUNT, 30));
    expect(amount.currentCount).toBe(6000);
    expect(amount.jsDistance).toBe(compareCounts(amountProfile, counts).binned.jsDistance);
    // 08:20 to 11:40: minutes at both ends, hours 09:00 and 10:00 from the hour table.
    const wide = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: range(DAY_START + 8 * HOUR + 20 * MINUTE, DAY_START + 11 * HOUR + 40 * MINUTE - 1),
      slice: { version: "1" },
    });
    const wideCounts = add(times(CALM_AMOUNT, 100), times(SHIFTED_AMOUNT, 100));
    const wideAmount = wide.rows.find((row) => row.name === "amount")!;
    expect(wideAmount.currentCount).toBe(20_000);
    expect(wideAmount.jsDistance).toBe(compareCounts(amountProfile, wideCounts).binned.jsDistance);
  });

  it("keeps the hour rollups equal to the sum of the minutes", async () => {
    const hours = await database.db.select().from(featureBinRollupsHour);
    const tenOClock = hours.find(
      (row) =>
        row.version === "1" &&
        row.name === "amount" &&
        row.hour.getTime() === DAY_START + 10 * HOUR,
    )!;
    expect(tenOClock.counts).toEqual(times(SHIFTED_AMOUNT, 60));
  });

  it("compares the canary with its own reference when sliced by deployment", async () => {
    const table = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: DAY_RANGE,
      slice: { deployment: "canary" },
    });
    const amount = table.rows.find((row) => row.name === "amount")!;
    expect(amount.status).toBe("ok");
    expect(amount.version).toBe("2");
    expect(amount.currentCount).toBe(36_000);
  });

  it("says inconclusive for a window too small to tell", async () => {
    const lone = DAY_START + 30 * HOUR;
    const table = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: range(lone, lone + MINUTE - 1),
      slice: { version: "1" },
    });
    const amount = table.rows.find((row) => row.name === "amount")!;
    expect(amount.currentCount).toBe(5);
    expect(amount.status).toBe("inconclusive");
  });

  it("refuses a segment slice with a reason instead of wrong numbers", async () => {
    const table = await caller().drift.table({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: DAY_RANGE,
      slice: { segment: { name: "region", value: "eu" } },
    });
    expect(table.unavailable?.reason).toBe("segment_slice");
    expect(table.unavailable?.message).toMatch(/not available for a segment slice/);
    expect(table.rows).toEqual([]);
  });

  it("names the missing model", async () => {
    await expect(
      caller().drift.table({ projectSlug: "lending", modelSlug: "nope", range: DAY_RANGE }),
    ).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof TRPCError && error.code === "NOT_FOUND" && /"nope"/.test(error.message),
    );
  });
});

describe("drift.heatmap", () => {
  it("is alert on the shifted feature in the shifted hours only", async () => {
    const heatmap = await caller().drift.heatmap({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: DAY_RANGE,
      slice: { version: "1" },
    });
    expect(heatmap.window.bucketMs).toBe(HOUR);
    expect(heatmap.bucketStarts).toHaveLength(60);
    const amount = heatmap.rows.find((row) => row.name === "amount")!;
    const plan = heatmap.rows.find((row) => row.name === "plan")!;
    expect(heatmap.rows[0]!.name).toBe("amount");
    const statusAt = (cells: typeof amount.cells, hour: number) =>
      cells.find((cell) => cell.bucketStart.getTime() === DAY_START + hour * HOUR)!;
    for (const hour of [6, 7, 8, 9]) {
      expect(statusAt(amount.cells, hour)).toMatchObject({ status: "ok", count: 6000 });
    }
    for (const hour of [10, 11]) {
      expect(statusAt(amount.cells, hour)).toMatchObject({ status: "alert", count: 6000 });
      const expected = compareCounts(amountProfile, times(SHIFTED_AMOUNT, 60));
      expect(statusAt(amount.cells, hour).jsDistance).toBe(expected.binned.jsDistance);
    }
    // Hours without data are gaps, not ok.
    expect(statusAt(amount.cells, 5)).toMatchObject({ status: null, jsDistance: null, count: 0 });
    expect(statusAt(amount.cells, 30)).toMatchObject({ status: "inconclusive", count: 5 });
    for (const hour of [6, 7, 8, 9, 10, 11]) {
      expect(statusAt(plan.cells, hour).status).toBe("ok");
    }
    expect(amount.cells.filter((cell) => cell.status === "alert")).toHaveLength(2);
    expect(plan.cells.some((cell) => cell.status === "alert" || cell.status === "warn")).toBe(
      false,
    );
  });

  it("cuts a preset window by the explicit clock and flags the bucket in progress", async () => {
    const heatmap = await computeDriftHeatmap(
      database.db,
      (await database.db.query.projects.findFirst())!.id,
      { modelSlug: "credit-risk", range: { preset: "6h" }, slice: { version: "1" } },
      new Date(DAY_START + 11 * HOUR + 30 * MINUTE),
    );
    // 6 hours in 5-minute buckets, from minute rollups.
    expect(heatmap.window.bucketMs).toBe(5 * MINUTE);
    const amount = heatmap.rows.find((row) => row.name === "amount")!;
    const inProgress = amount.cells.filter((cell) => cell.inProgress);
    expect(inProgress.map((cell) => cell.bucketStart.getTime())).toEqual([
      DAY_START + 11 * HOUR + 30 * MINUTE,
    ]);
    const alerts = amount.cells.filter((cell) => cell.status === "alert");
    expect(alerts.every((cell) => cell.bucketStart.getTime() >= SHIFT_FROM)).toBe(true);
    expect(alerts.length).toBeGreaterThan(0);
  });
});

describe("drift.feature", () => {
  it("explains a shift in words, with histograms and sample sizes", async () => {
    const drill = await caller().drift.feature({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: SHIFT_RANGE,
      slice: { version: "1" },
      target: "feature",
      name: "amount",
    });
    expect(drill).toMatchObject({ status: "alert", version: "1", kind: "numeric" });
    expect(drill.reference).toMatchObject({ version: "1", revision: 1, source: "api" });
    expect(drill.bins).toHaveLength(10);
    expect(drill.bins[0]).toMatchObject({ label: "< 99.5", referenceCount: 99, currentCount: 0 });
    expect(drill.bins[9]).toMatchObject({ label: "≥ 899.5", currentShare: 0.2 });
    const meaning = (key: string) => drill.statistics.find((s) => s.key === key)?.meaning ?? "";
    expect(meaning("js_distance")).toMatch(/scale from 0 \(identical\) to 1/);
    // Bin midpoints: the reference sits about 500, the shifted window about 749.75, and the
    // reference standard deviation is 288.67 (uniform on 0..1000): about 0.865 sd higher.
    const shift = drill.statistics.find((s) => s.key === "mean_shift_sd")!;
    expect(shift.value).toBeGreaterThan(0.8);
    expect(shift.value).toBeLessThan(0.9);
    expect(shift.meaning).toMatch(
      /sit about 0\.8\d+ standard deviations higher than the reference/,
    );
    expect(drill.sampleSizes).toMatchObject({
      reference: 1000,
      current: 12_000,
      bins: 10,
      conclusive: true,
    });
    expect(drill.buckets.filter((bucket) => bucket.status === "alert")).toHaveLength(120);
  });

  it("explains why a tiny window is inconclusive and how much data it needs", async () => {
    const lone = DAY_START + 30 * HOUR;
    const drill = await caller().drift.feature({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      range: range(lone, lone + MINUTE - 1),
      slice: { version: "1" },
      target: "feature",
      name: "amount",
    });
    expect(drill.status).toBe("inconclusive");
    // (1/1000 + 1/m) chi2_0.95(9) < 0.25 with chi2_0.95(9) = 16.918977604620448 (SciPy):
    // m > 1 / (0.25 / 16.919 - 0.001) = 72.59, so 73 values.
    expect(drill.sampleSizes).toMatchObject({
      reference: 1000,
      current: 5,
      conclusive: false,
      minimumCurrentForConclusive: 73,
    });
    expect(drill.sampleSizes!.explanation).toMatch(
      /^Inconclusive: with 5 current values against 1000/,
    );
    expect(drill.sampleSizes!.explanation).toMatch(/About 73 current values are needed/);
  });

  it("is not found for a feature no reference profiles", async () => {
    await expect(
      caller().drift.feature({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        range: DAY_RANGE,
        target: "feature",
        name: "ghost",
      }),
    ).rejects.toSatisfy(
      (error: unknown) => error instanceof TRPCError && error.code === "NOT_FOUND",
    );
  });
});
