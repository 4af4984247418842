import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { MonitorSettings } from "@plumbline/contracts";
import {
  buildReferenceProfiles,
  storeReferenceBaseline,
  toReferenceRows,
} from "@plumbline/db/baselines";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import {
  alerts,
  featureBinRollupsMinute,
  monitorEvaluations,
  predictionRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { ServiceError } from "../service-error";
import { previewMonitor } from "./preview-monitor";

/**
 * Replaying settings over seeded drift: 100 records a minute from 06:00 to 14:00 on
 * 2026-03-01, `amount` shifted into its upper five deciles from 10:00 to 12:00.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = Date.parse("2026-03-01T00:00:00Z");
const NOW = new Date(DAY + 14 * HOUR + 30_000);

let database: TestDatabase;
let projectId = "";
let modelId = "";

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  projectId = (await createProject(db)).id;
  const model = await createModel(db, {
    projectId,
    featureSchema: { amount: { type: "numeric" }, plan: { type: "categorical" } },
  });
  modelId = model.id;
  await createModelVersion(db, { modelId, version: "1" });
  const profiles = buildReferenceProfiles(
    toReferenceRows(
      Array.from({ length: 1000 }, (_, i) => ({
        amount: i + 0.5,
        plan: ["free", "pro", "team"][i % 3]!,
      })),
    ),
    model.featureSchema,
  );
  await db.transaction((tx) =>
    storeReferenceBaseline(tx, { modelId, version: "1", rows: 1000, profiles, source: "api" }),
  );
  const bins: (typeof featureBinRollupsMinute.$inferInsert)[] = [];
  const predictions: (typeof predictionRollupsMinute.$inferInsert)[] = [];
  for (let minute = DAY + 6 * HOUR; minute < DAY + 14 * HOUR; minute += MINUTE) {
    const shifted = minute >= DAY + 10 * HOUR && minute < DAY + 12 * HOUR;
    const common = { modelId, minute: new Date(minute), version: "1", deployment: "stable" };
    bins.push(
      {
        ...common,
        target: "feature",
        name: "amount",
        profileRevision: 1,
        counts: shifted ? [0, 0, 0, 0, 0, 20, 20, 20, 20, 20] : new Array<number>(10).fill(10),
      },
      { ...common, target: "feature", name: "plan", profileRevision: 1, counts: [33, 33, 34, 0] },
    );
    predictions.push({ ...common, count: 100 });
  }
  await db.insert(featureBinRollupsMinute).values(bins);
  await db.insert(predictionRollupsMinute).values(predictions);
});

afterAll(async () => {
  await database.drop();
});

const DRIFT: MonitorSettings = {
  name: "Feature drift",
  metric: "feature_drift",
  statistic: "js",
  feature: null,
  threshold: { kind: "statistical", fdr: true, fdrLevel: 0.05 },
  bucketMinutes: 60,
  windowMinutes: 60,
  minSamples: 500,
  breachesToFire: 1,
  healthyToResolve: 1,
  scope: {},
  notify: [],
  enabled: true,
};

describe("previewMonitor", () => {
  it("replays 7 days bucket by bucket and shows when it would have fired and resolved", async () => {
    const preview = await previewMonitor(database.db, {
      projectId,
      modelId,
      settings: DRIFT,
      now: NOW,
    });
    expect(preview.buckets).toHaveLength(168);
    expect(preview.buckets.at(-1)!.bucketEnd.toISOString()).toBe("2026-03-01T14:00:00.000Z");
    const outcomes = Object.fromEntries(
      preview.buckets.slice(-6).map((b) => [b.bucketEnd.toISOString().slice(11, 16), b.outcome]),
    );
    expect(outcomes).toEqual({
      "09:00": "ok",
      "10:00": "ok",
      "11:00": "critical",
      "12:00": "critical",
      "13:00": "ok",
      "14:00": "ok",
    });
    expect(preview.buckets[0]!.outcome).toBe("insufficient");
    expect(preview.firings).toEqual([
      {
        firedAt: new Date(DAY + 11 * HOUR),
        resolvedAt: new Date(DAY + 13 * HOUR),
        severity: "critical",
        target: "amount",
      },
    ]);
    // Nothing was written.
    expect(await database.db.select().from(alerts)).toEqual([]);
    expect(await database.db.select().from(monitorEvaluations)).toEqual([]);
  });

  it("shows stricter guards firing later, and a still-open firing with no resolution", async () => {
    const preview = await previewMonitor(database.db, {
      projectId,
      modelId,
      settings: { ...DRIFT, breachesToFire: 2, healthyToResolve: 3 },
      now: new Date(DAY + 13 * HOUR + 1000),
    });
    expect(preview.firings).toEqual([
      {
        firedAt: new Date(DAY + 12 * HOUR),
        resolvedAt: null,
        severity: "critical",
        target: "amount",
      },
    ]);
  });

  it("refuses invalid settings naming the problem, and another project's model", async () => {
    await expect(
      previewMonitor(database.db, {
        projectId,
        modelId,
        settings: { ...DRIFT, bucketMinutes: 60, windowMinutes: 30 },
        now: NOW,
      }),
    ).rejects.toThrow(/windowMinutes: the window must be at least one bucket long/);
    const other = (await createProject(database.db)).id;
    await expect(
      previewMonitor(database.db, { projectId: other, modelId, settings: DRIFT, now: NOW }),
    ).rejects.toBeInstanceOf(ServiceError);
  });
});
