import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { MonitorSettings } from "@plumbline/contracts";
import {
  buildReferenceProfiles,
  storeReferenceBaseline,
  toReferenceRows,
} from "@plumbline/db/baselines";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import {
  featureBinRollupsMinute,
  labelRollupsMinute,
  predictionRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { judgeMonitorReadings } from "./judge-monitor";
import type { MonitorModel } from "./monitor-target";
import { readMonitor } from "./read-monitor";
import { ReadingCache } from "./reading-cache";

/**
 * Readers against seeded rollups with known answers. On 2026-03-01 the model serves 100
 * records a minute from 06:00 to 10:00 (latency 100-200 ms, no errors), then only 30 a minute
 * from 10:00 to 10:30 (latency 500-1000 ms, 3 errors a minute), then nothing. A week earlier,
 * 09:00-11:00, it served 100 a minute. `amount` is never missing in the reference and 20 of
 * 120 records a minute miss it from 09:00 to 10:00, while a canary (version 2, same reference)
 * sends 8 values a minute, all in the top decile. Labels: 40 of the 100 records a minute
 * joined from 08:00 to 09:00.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = Date.parse("2026-03-01T00:00:00Z");
const WEEK = 7 * 24 * HOUR;
const end = (hours: number) => new Date(DAY + hours * HOUR);

let database: TestDatabase;
let model: MonitorModel;

function latency(bucket: number, count: number): number[] {
  const histogram = new Array<number>(14).fill(0);
  histogram[bucket] = count;
  return histogram;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const project = await createProject(db);
  const row = await createModel(db, {
    projectId: project.id,
    featureSchema: { amount: { type: "numeric" } },
  });
  model = { id: row.id, projectId: project.id, task: row.task };
  await createModelVersion(db, { modelId: row.id, version: "1" });
  const profiles = buildReferenceProfiles(
    toReferenceRows(Array.from({ length: 1000 }, (_, i) => ({ amount: i + 0.5 }))),
    row.featureSchema,
  );
  await createModelVersion(db, { modelId: row.id, version: "2" });
  for (const version of ["1", "2"]) {
    await db.transaction((tx) =>
      storeReferenceBaseline(tx, { modelId: row.id, version, rows: 1000, profiles, source: "api" }),
    );
  }

  const common = (minute: number) => ({
    modelId: row.id,
    minute: new Date(minute),
    version: "1",
    deployment: "stable",
  });
  const predictions: (typeof predictionRollupsMinute.$inferInsert)[] = [];
  for (let minute = DAY - WEEK + 9 * HOUR; minute < DAY - WEEK + 11 * HOUR; minute += MINUTE) {
    predictions.push({ ...common(minute), count: 100, latencyHistogram: latency(7, 100) });
  }
  for (let minute = DAY + 6 * HOUR; minute < DAY + 10.5 * HOUR; minute += MINUTE) {
    const slow = minute >= DAY + 10 * HOUR;
    predictions.push({
      ...common(minute),
      count: slow ? 30 : 100,
      errorCount: slow ? 3 : 0,
      latencyHistogram: slow ? latency(9, 30) : latency(7, 100),
    });
  }
  await db.insert(predictionRollupsMinute).values(predictions);

  const bins: (typeof featureBinRollupsMinute.$inferInsert)[] = [];
  for (let minute = DAY + 9 * HOUR; minute < DAY + 10 * HOUR; minute += MINUTE) {
    bins.push({
      ...common(minute),
      target: "feature",
      name: "amount",
      profileRevision: 1,
      counts: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
      missing: 20,
    });
    // A small canary (8 values a minute, 480 in the hour) whose values all land in one bin.
    bins.push({
      ...common(minute),
      version: "2",
      deployment: "canary",
      target: "feature",
      name: "amount",
      profileRevision: 1,
      counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 8],
    });
  }
  await db.insert(featureBinRollupsMinute).values(bins);

  const labels: (typeof labelRollupsMinute.$inferInsert)[] = [];
  for (let minute = DAY + 8 * HOUR; minute < DAY + 9 * HOUR; minute += MINUTE) {
    labels.push({
      modelId: row.id,
      minute: new Date(minute),
      version: "1",
      labelName: "default",
      joinedCount: 40,
    });
  }
  await db.insert(labelRollupsMinute).values(labels);
});

afterAll(async () => {
  await database.drop();
});

const base: MonitorSettings = {
  name: "m",
  metric: "traffic_volume",
  statistic: "count",
  feature: null,
  threshold: { kind: "static", direction: "above", warning: 1, critical: null },
  bucketMinutes: 60,
  windowMinutes: 60,
  minSamples: 0,
  breachesToFire: 1,
  healthyToResolve: 1,
  scope: {},
  notify: [],
  enabled: true,
};

async function judge(settings: Partial<MonitorSettings>, ends: Date[]) {
  const merged = { ...base, ...settings };
  const reads = await readMonitor(
    { db: database.db, cache: new ReadingCache() },
    model,
    merged,
    ends,
  );
  return reads.map((read) =>
    judgeMonitorReadings(merged, read).map(({ reading, judgement }) => ({
      feature: reading.feature,
      value: reading.value,
      baseline: reading.baseline ?? null,
      samples: reading.samples,
      verdict: judgement.verdict,
    })),
  );
}

describe("readMonitor", () => {
  it("traffic volume against the same hour last week (relative, percent)", async () => {
    const [calm, fallen] = await judge(
      {
        threshold: {
          kind: "relative",
          baseline: "last_week",
          change: "percent",
          direction: "either",
          warning: 50,
          critical: null,
        },
      },
      [end(10), end(11)],
    );
    expect(calm).toEqual([
      { feature: null, value: 6000, baseline: 6000, samples: 6000, verdict: { kind: "healthy" } },
    ]);
    expect(fallen).toEqual([
      {
        feature: null,
        value: 900,
        baseline: 6000,
        samples: 900,
        verdict: { kind: "breach", severity: "warning" },
      },
    ]);
  });

  it("traffic volume against the trailing buckets (band, median and MAD)", async () => {
    const [fallen] = await judge(
      {
        threshold: {
          kind: "band",
          method: "median_mad",
          direction: "either",
          warningK: 4,
          criticalK: 8,
          trailingBuckets: 4,
        },
      },
      [end(11)],
    );
    expect(fallen![0]).toMatchObject({
      value: 900,
      verdict: { kind: "breach", severity: "critical" },
    });
  });

  it("latency p95 and the error rate from the prediction rollups", async () => {
    const [calm, slow] = await judge(
      {
        metric: "latency",
        statistic: "p95",
        threshold: { kind: "static", direction: "above", warning: 500, critical: 1000 },
      },
      [end(10), end(11)],
    );
    expect(calm![0]!.value).toBeCloseTo(195, 6);
    expect(calm![0]!.verdict).toEqual({ kind: "healthy" });
    expect(slow![0]!.value).toBeCloseTo(975, 6);
    expect(slow![0]!.verdict).toEqual({ kind: "breach", severity: "warning" });

    const [errors] = await judge(
      {
        metric: "error_rate",
        statistic: "error_share",
        minSamples: 1000,
        threshold: { kind: "static", direction: "above", warning: 0.01, critical: 0.05 },
      },
      [end(11)],
    );
    // 90 errors in 900 records: fewer records than the monitor's minimum sample size.
    expect(errors![0]).toMatchObject({
      value: 0.1,
      samples: 900,
      verdict: { kind: "inconclusive" },
    });
  });

  it("no data: time since the last record in learned intervals", async () => {
    const [soon, later, latest] = await judge(
      {
        metric: "no_data",
        statistic: "interval_ratio",
        bucketMinutes: 5,
        windowMinutes: 60,
        threshold: { kind: "static", direction: "above", warning: 3, critical: 10 },
      },
      [end(10.5), end(10.5 + 5 / 60), end(10.75)],
    );
    expect(soon![0]).toMatchObject({ value: 0, verdict: { kind: "healthy" } });
    // 5 silent minutes; 55 minutes with data in the last hour.
    expect(later![0]!.value).toBeCloseTo(5 / (60 / 55), 9);
    expect(later![0]!.verdict).toEqual({ kind: "breach", severity: "warning" });
    // 15 silent minutes; 45 minutes with data.
    expect(latest![0]!.value).toBeCloseTo(15 / (60 / 45), 9);
    expect(latest![0]!.verdict).toEqual({ kind: "breach", severity: "critical" });
  });

  it("missing values per feature against the reference (points)", async () => {
    const [window] = await judge(
      {
        metric: "missing_values",
        statistic: "null_rate",
        minSamples: 200,
        threshold: {
          kind: "relative",
          baseline: "reference",
          change: "points",
          direction: "increase",
          warning: 0.05,
          critical: 0.2,
        },
      },
      [end(10)],
    );
    expect(window).toHaveLength(1);
    expect(window![0]).toMatchObject({
      feature: "amount",
      baseline: 0,
      samples: 7680,
      verdict: { kind: "breach", severity: "warning" },
    });
    // Pooled over both versions: 1,200 missing of 7,200 + 480 records.
    expect(window![0]!.value).toBeCloseTo(1200 / 7680, 12);
  });

  it("drift judges the worst version measured on minSamples values, not a tiny canary", async () => {
    const drift = {
      metric: "feature_drift",
      statistic: "js",
      threshold: { kind: "statistical", fdr: false, fdrLevel: 0.05 },
    } as const;
    const [measured] = await judge({ ...drift, minSamples: 500 }, [end(10)]);
    expect(measured![0]).toMatchObject({ feature: "amount", samples: 6000 });
    const reads = await readMonitor(
      { db: database.db, cache: new ReadingCache() },
      model,
      { ...base, ...drift, minSamples: 500 },
      [end(10)],
    );
    expect(reads[0]!.readings[0]!.details).toMatchObject({ version: "1" });
    // Without a minimum, the canary's drift is the worst conclusive one and is what is judged.
    const [any] = await judge({ ...drift, minSamples: 0 }, [end(10)]);
    expect(any![0]).toMatchObject({
      samples: 480,
      verdict: { kind: "breach", severity: "critical" },
    });
  });

  it("label coverage looks one window back, when labels have had time to arrive", async () => {
    const [coverage] = await judge(
      {
        metric: "label_coverage",
        statistic: "coverage",
        minSamples: 1,
        threshold: { kind: "static", direction: "below", warning: 0.5, critical: null },
      },
      [end(10)],
    );
    // The evaluation ending 10:00 judges 08:00-09:00: 40 of 100 labelled.
    expect(coverage![0]).toMatchObject({
      value: 0.4,
      samples: 6000,
      verdict: { kind: "breach", severity: "warning" },
    });
  });
});
