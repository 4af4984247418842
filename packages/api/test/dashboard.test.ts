import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
} from "@plumbline/db/factories";
import { LATENCY_BUCKET_BOUNDS_MS, SCORE_HISTOGRAM_BINS } from "@plumbline/db/rollup-buckets";
import {
  featureBinRollupsMinute,
  models,
  predictionRollupsMinute,
  referenceProfiles,
  segmentRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import { buildProfile, compareCounts, type ReferenceProfile } from "@plumbline/drift";

import { appRouter, createCaller, createInnerContext } from "../src";
import { ingestNotificationHubOf } from "../src/services/dashboard/ingest-notifications";
import { computeConfidence } from "../src/services/dashboard/confidence";
import { prepareDashboardQuery } from "../src/services/dashboard/dashboard-query";
import { computeOverview } from "../src/services/dashboard/overview";
import { computeTraffic } from "../src/services/dashboard/traffic";

/**
 * The dashboard router on seeded rollups with answers computed by hand. The clock is fixed:
 * services take `now`; the router tests use a custom range ending in the past, the service
 * tests the "1h" preset at NOW.
 */
const NOW = new Date("2026-03-01T12:30:30Z");
const at = (hhmm: string) => new Date(`2026-03-01T${hhmm}:00Z`);
/** A custom range of whole minutes 11:30 to 12:31 (61 one-minute buckets). */
const RANGE = { from: at("11:30"), to: at("12:31") };

let database: TestDatabase;
let projectId = "";
let modelId = "";
let viewerId = "";
let outsiderId = "";

const callerAs = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));
const windowInput = (slice: Record<string, unknown> = {}) => ({
  projectSlug: "lending",
  modelSlug: "credit-risk",
  range: RANGE,
  slice,
});

function histogram(length: number, entries: Record<number, number>): number[] {
  const counts = new Array<number>(length).fill(0);
  for (const [index, count] of Object.entries(entries)) counts[Number(index)] = count;
  return counts;
}
const LATENCY = LATENCY_BUCKET_BOUNDS_MS.length + 1;

async function addPredictionRollup(
  row: Partial<typeof predictionRollupsMinute.$inferInsert> & {
    minute: Date;
    version: string;
    deployment: string;
  },
) {
  await database.db.insert(predictionRollupsMinute).values({ modelId, ...row });
}

async function storeProfile(
  version: string,
  target: string,
  name: string,
  profile: ReferenceProfile,
) {
  await database.db.insert(referenceProfiles).values({
    modelId,
    version,
    target,
    name,
    revision: 1,
    kind: profile.kind,
    profile: profile as unknown as Record<string, unknown>,
  });
}

let incomeProfile: ReferenceProfile;
let predictionProfile: ReferenceProfile;

beforeAll(async () => {
  database = await createTestDatabase();
  const project = await createProject(database.db, { slug: "lending", name: "Lending" });
  projectId = project.id;
  const other = await createProject(database.db, { slug: "other" });
  viewerId = (await createMember(database.db, { projectId, role: "viewer" })).id;
  outsiderId = (await createMember(database.db, { projectId: other.id, role: "admin" })).id;
  const model = await createModel(database.db, { projectId, slug: "credit-risk" });
  modelId = model.id;
  await createModelVersion(database.db, { modelId, version: "1" });
  await createModelVersion(database.db, { modelId, version: "2" });

  // 12:00, version 1 stable: 10 predictions, 1 error; latencies 4 in (2, 5] ms, 6 in (10, 20];
  // scores 5 in [0.50, 0.55), 5 in [0.75, 0.80), sum 6.5, 5 below 0.6; 3 unknown features.
  await addPredictionRollup({
    minute: at("12:00"),
    version: "1",
    deployment: "stable",
    count: 10,
    errorCount: 1,
    latencyCount: 10,
    latencyHistogram: histogram(LATENCY, { 2: 4, 4: 6 }),
    scoreCount: 10,
    scoreSum: 6.5,
    lowConfidenceCount: 5,
    scoreHistogram: histogram(SCORE_HISTOGRAM_BINS, { 10: 5, 15: 5 }),
    unknownFeatureCount: 3,
  });
  // 12:00, version 2 canary: 5 predictions, latencies 5 in (10, 20], no scores.
  await addPredictionRollup({
    minute: at("12:00"),
    version: "2",
    deployment: "canary",
    count: 5,
    latencyCount: 5,
    latencyHistogram: histogram(LATENCY, { 4: 5 }),
  });
  // 12:30 (the minute in progress at NOW): 2 predictions without latency or score.
  await addPredictionRollup({ minute: at("12:30"), version: "1", deployment: "stable", count: 2 });
  // 11:00 lies before the window and must never be counted.
  await addPredictionRollup({
    minute: at("11:00"),
    version: "1",
    deployment: "stable",
    count: 100,
  });

  await database.db.insert(segmentRollupsMinute).values([
    {
      modelId,
      minute: at("12:00"),
      version: "1",
      deployment: "stable",
      segment: "region",
      value: "eu",
      count: 7,
    },
    {
      modelId,
      minute: at("12:00"),
      version: "1",
      deployment: "stable",
      segment: "region",
      value: "us",
      count: 3,
    },
    {
      modelId,
      minute: at("12:00"),
      version: "2",
      deployment: "canary",
      segment: "region",
      value: "eu",
      count: 5,
    },
    {
      modelId,
      minute: at("11:00"),
      version: "1",
      deployment: "stable",
      segment: "region",
      value: "eu",
      count: 50,
    },
  ]);

  // Version 1's reference: income (10 values + 2 missing) and the predicted class.
  incomeProfile = buildProfile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, null], { kind: "numeric" });
  predictionProfile = buildProfile(["approve", "approve", "approve", "deny", "deny"], {
    kind: "categorical",
  });
  await storeProfile("1", "feature", "income", incomeProfile);
  await storeProfile("1", "prediction", "prediction", predictionProfile);
  // 12:00: income checked on 10 records: 8 in bins (2 of them out of range), 1 missing,
  // 1 of the wrong type. Predicted classes: approve 6, deny 3, unseen 1.
  const incomeCounts = new Array<number>(incomeProfile.counts.length).fill(0);
  incomeCounts[0] = 2;
  incomeCounts[incomeCounts.length - 1] = 6;
  await database.db.insert(featureBinRollupsMinute).values([
    {
      modelId,
      minute: at("12:00"),
      version: "1",
      deployment: "stable",
      target: "feature",
      name: "income",
      profileRevision: 1,
      counts: incomeCounts,
      missing: 1,
      outOfRange: 2,
      unseen: 0,
      typeMismatch: 1,
    },
    {
      modelId,
      minute: at("12:00"),
      version: "1",
      deployment: "stable",
      target: "prediction",
      name: "prediction",
      profileRevision: 1,
      counts: [6, 3, 1],
      missing: 0,
      outOfRange: 0,
      unseen: 1,
      typeMismatch: 0,
    },
  ]);
});

afterAll(async () => {
  await database.drop();
});

const bucketAt = <T extends { bucketStart: Date }>(buckets: T[], hhmm: string): T => {
  const found = buckets.find((bucket) => bucket.bucketStart.getTime() === at(hhmm).getTime());
  if (!found) throw new Error(`no bucket at ${hhmm}`);
  return found;
};

describe("dashboard.traffic", () => {
  it("counts, error rate and latency percentiles per bucket, with gaps as null", async () => {
    const traffic = await callerAs(viewerId).dashboard.traffic(windowInput());
    const { from, to, bucketMs } = traffic.window;
    expect(bucketMs).toBe(60_000);
    expect(from).toEqual(at("11:30"));
    // Every bucket start of the window is present, oldest first.
    expect(traffic.buckets).toHaveLength((to.getTime() - from.getTime()) / bucketMs);
    expect(traffic.buckets[0]!.bucketStart).toEqual(at("11:30"));
    const noon = bucketAt(traffic.buckets, "12:00");
    expect(noon).toMatchObject({ count: 15, errorCount: 1, inProgress: false });
    expect(noon.errorRate).toBeCloseTo(1 / 15, 12);
    // 15 latencies: 4 in (2, 5], 11 in (10, 20]. p50 rank 7.5: 10 + (7.5 - 4) / 11 * 10.
    expect(noon.latencyP50Ms).toBeCloseTo(10 + (3.5 / 11) * 10, 9);
    expect(noon.latencyP99Ms).toBeCloseTo(10 + ((0.99 * 15 - 4) / 11) * 10, 9);
    expect(bucketAt(traffic.buckets, "12:01")).toMatchObject({
      count: null,
      errorRate: null,
      latencyP50Ms: null,
    });
    expect(traffic.totals.count).toBe(17);
    expect(traffic.versions).toEqual([
      { version: "1", count: 12 },
      { version: "2", count: 5 },
    ]);
    expect(traffic.lastDataAt).toEqual(at("12:30"));
    expect(traffic.available).toEqual({ count: true, errors: true, latency: true });
  });

  it("narrows to a version or a deployment", async () => {
    const v1 = await callerAs(viewerId).dashboard.traffic(windowInput({ version: "1" }));
    const noon = bucketAt(v1.buckets, "12:00");
    // 10 latencies: 4 in (2, 5], 6 in (10, 20]: p50 rank 5 -> 10 + 1/6 * 10, p95 rank 9.5.
    expect(noon.count).toBe(10);
    expect(noon.latencyP50Ms).toBeCloseTo(10 + (1 / 6) * 10, 9);
    expect(noon.latencyP95Ms).toBeCloseTo(10 + (5.5 / 6) * 10, 9);
    expect(v1.totals.count).toBe(12);
    const canary = await callerAs(viewerId).dashboard.traffic(
      windowInput({ deployment: "canary" }),
    );
    expect(bucketAt(canary.buckets, "12:00").count).toBe(5);
    expect(canary.totals.count).toBe(5);
  });

  it("counts exactly one segment's predictions, and says errors and latency are not available", async () => {
    const eu = await callerAs(viewerId).dashboard.traffic(
      windowInput({ segment: { name: "region", value: "eu" } }),
    );
    expect(bucketAt(eu.buckets, "12:00")).toMatchObject({
      count: 12,
      errorRate: null,
      latencyP50Ms: null,
    });
    expect(eu.totals.count).toBe(12);
    expect(eu.available).toEqual({ count: true, errors: false, latency: false });
    const euV1 = await callerAs(viewerId).dashboard.traffic(
      windowInput({ version: "1", segment: { name: "region", value: "eu" } }),
    );
    expect(euV1.totals.count).toBe(7);
  });

  it("flags the bucket in progress on a preset range", async () => {
    const query = await prepareDashboardQuery(
      database.db,
      projectId,
      { modelSlug: "credit-risk", range: { preset: "1h" }, slice: {} },
      NOW,
    );
    const traffic = await computeTraffic(query);
    const inProgress = traffic.buckets.filter((bucket) => bucket.inProgress);
    expect(inProgress).toHaveLength(1);
    expect(inProgress[0]).toMatchObject({ bucketStart: at("12:30"), count: 2 });
    expect(traffic.buckets.at(-1)!.bucketStart).toEqual(at("12:30"));
  });
});

describe("dashboard.confidence", () => {
  it("bands, mean and low-confidence share from the score histogram", async () => {
    const confidence = await callerAs(viewerId).dashboard.confidence(windowInput());
    const noon = bucketAt(confidence.buckets, "12:00");
    // 10 scores: 5 in [0.50, 0.55), 5 in [0.75, 0.80). p10 rank 1: 0.5 + 1/5 * 0.05.
    expect(noon.scoredCount).toBe(10);
    expect(noon.p10).toBeCloseTo(0.51, 12);
    expect(noon.p50).toBeCloseTo(0.55, 12);
    expect(noon.p90).toBeCloseTo(0.79, 12);
    expect(noon.mean).toBeCloseTo(0.65, 12);
    expect(noon.lowConfidenceShare).toBe(0.5);
    expect(confidence.lowConfidenceThreshold).toBe(0.6);
    // 12:30 had predictions without scores: a bucket with data, but no score statistics.
    expect(bucketAt(confidence.buckets, "12:30")).toMatchObject({
      scoredCount: 0,
      p50: null,
      mean: null,
    });
    expect(bucketAt(confidence.buckets, "12:01").scoredCount).toBeNull();
  });

  it("is unavailable for a segment slice", async () => {
    const confidence = await callerAs(viewerId).dashboard.confidence(
      windowInput({ segment: { name: "region", value: "eu" } }),
    );
    expect(confidence).toMatchObject({ available: false, unavailableReason: "segment_slice" });
    expect(confidence.buckets.every((bucket) => bucket.scoredCount === null)).toBe(true);
  });

  it("computes the in-progress bucket from the preset window too", async () => {
    const query = await prepareDashboardQuery(
      database.db,
      projectId,
      { modelSlug: "credit-risk", range: { preset: "1h" }, slice: { version: "1" } },
      NOW,
    );
    const confidence = await computeConfidence(query);
    expect(confidence.buckets.find((bucket) => bucket.inProgress)?.bucketStart).toEqual(
      at("12:30"),
    );
  });
});

describe("dashboard.predictions", () => {
  it("class shares from the prediction bins (unseen classes in other) and score bands", async () => {
    const predictions = await callerAs(viewerId).dashboard.predictions(windowInput());
    expect(predictions.classShares?.classes).toEqual(["approve", "deny", "other"]);
    const noon = bucketAt(predictions.classShares!.buckets, "12:00");
    expect(noon.count).toBe(10);
    expect(noon.shares).toEqual([0.6, 0.3, 0.1]);
    expect(bucketAt(predictions.classShares!.buckets, "12:01").shares).toEqual([null, null, null]);
    // Score quartiles of the 10 scores at 12:00: rank 2.5 -> 0.5 + 2.5/5 * 0.05.
    const scores = bucketAt(predictions.scoreBands!.buckets, "12:00");
    expect(scores.p25).toBeCloseTo(0.525, 12);
    expect(scores.p75).toBeCloseTo(0.775, 12);
    expect(predictions.unavailable).toEqual([]);
  });

  it("says why class shares are missing without a reference", async () => {
    const predictions = await callerAs(viewerId).dashboard.predictions(
      windowInput({ version: "2" }),
    );
    expect(predictions.classShares).toBeNull();
    expect(predictions.unavailable).toEqual([
      { series: "scoreBands", reason: "no_scores" },
      { series: "classShares", reason: "no_reference_profile" },
    ]);
  });
});

describe("dashboard.dataQuality", () => {
  it("missing, type-mismatch, out-of-range and unseen shares per feature, against the reference", async () => {
    const quality = await callerAs(viewerId).dashboard.dataQuality(windowInput());
    expect(quality.features.map((feature) => feature.name)).toEqual(["income"]);
    const income = quality.features[0]!;
    expect(income.window).toEqual({
      count: 10,
      missing: 0.1,
      typeMismatch: 0.1,
      outOfRange: 0.2,
      unseen: 0,
    });
    expect(income.referenceMissingShare).toBeCloseTo(2 / 12, 12);
    expect(bucketAt(income.buckets, "12:00")).toMatchObject({ count: 10, missing: 0.1 });
    expect(bucketAt(income.buckets, "12:01")).toMatchObject({ count: null, missing: null });
    expect(quality.unknownFeatures.total).toBe(3);
    expect(bucketAt(quality.unknownFeatures.buckets, "12:00").count).toBe(3);
    expect(quality.versionsWithoutReference).toEqual(["2"]);
  });
});

describe("dashboard.segments", () => {
  it("lists segment values with their counts over the window", async () => {
    const segments = await callerAs(viewerId).dashboard.segments(windowInput());
    expect(segments.segments).toEqual([
      {
        name: "region",
        count: 15,
        values: [
          { value: "eu", count: 12 },
          { value: "us", count: 3 },
        ],
      },
    ]);
  });
});

describe("dashboard.overview", () => {
  it("every model with traffic, sparkline, low-confidence share, drift and data quality", async () => {
    const overview = await computeOverview(database.db, projectId, "24h", NOW);
    expect(overview.to).toEqual(at("12:31"));
    expect(overview.sparkline.bucketMs).toBe(3_600_000);
    expect(overview.sparkline.bucketStarts.at(-1)).toEqual(at("12:00"));
    expect(overview.models).toHaveLength(1);
    const health = overview.models[0]!;
    expect(health.slug).toBe("credit-risk");
    // 11:00 (100), 12:00 (15) and 12:30 (2) all lie in the last 24 hours.
    expect(health.trafficCount).toBe(117);
    expect(health.sparkline.slice(-3)).toEqual([null, 100, 17]);
    expect(health.sparkline.filter((point) => point !== null)).toHaveLength(2);
    expect(health.lowConfidenceShare).toBe(0.5);
    // income: 10% type mismatches (>= 1%); and unknown features arrived: 2 problems.
    expect(health.dataQualityIssueCount).toBe(2);
    const incomeCounts = new Array<number>(incomeProfile.counts.length).fill(0);
    incomeCounts[0] = 2;
    incomeCounts[incomeCounts.length - 1] = 6;
    const expected = compareCounts(incomeProfile, incomeCounts, { currentMissing: 1 });
    expect(health.worstDriftingFeature).toEqual({
      name: "income",
      version: "1",
      jsDistance: expected.binned.jsDistance,
      status: expected.status,
    });
    expect(health.latestPerformance).toBeNull();
    expect(health.lastDataAt).toEqual(at("12:30"));
  });

  it("answers through the router for a viewer", async () => {
    const overview = await callerAs(viewerId).dashboard.overview({ projectSlug: "lending" });
    expect(overview.models.map((model) => model.slug)).toEqual(["credit-risk"]);
    expect(overview.models[0]!.sparkline).toHaveLength(24);
  });
});

describe("dashboard.lookupPrediction", () => {
  it("returns null for an unknown prediction id", async () => {
    const found = await callerAs(viewerId).dashboard.lookupPrediction({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      predictionId: "nope",
    });
    expect(found).toBeNull();
  });
});

describe("access", () => {
  it("answers NOT_FOUND naming the slug of a missing model", async () => {
    await expect(
      callerAs(viewerId).dashboard.traffic({ ...windowInput(), modelSlug: "missing-model" }),
    ).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof TRPCError &&
        error.code === "NOT_FOUND" &&
        error.message.includes('"missing-model"'),
    );
  });

  it("hides another project's dashboards", async () => {
    await expect(callerAs(outsiderId).dashboard.traffic(windowInput())).rejects.toSatisfy(
      (error: unknown) => error instanceof TRPCError && error.code === "NOT_FOUND",
    );
  });
});

describe("dashboard.live", () => {
  it("yields an event after a transaction that notifies for the model commits", async () => {
    const hub = ingestNotificationHubOf(database.db);
    const controller = new AbortController();
    const caller = createCaller(createInnerContext({ db: database.db, userId: viewerId }), {
      signal: controller.signal,
    });
    const stream = await caller.dashboard.live({
      projectSlug: "lending",
      modelSlug: "credit-risk",
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = iterator.next();
    // Wait (without a timer) until the subscription has registered, then until LISTEN runs
    // (a subscribe resolves only once the shared LISTEN is in place).
    while (hub.subscriberCount(modelId) === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stopProbe = await hub.subscribe("00000000-0000-4000-8000-000000000000", () => undefined);
    stopProbe();

    await database.db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_notify('plumbline_ingest', ${"00000000-0000-4000-8000-000000000001"})`,
      );
      await tx.execute(sql`select pg_notify('plumbline_ingest', ${modelId})`);
      await tx.execute(sql`select pg_notify('plumbline_ingest', ${modelId})`);
    });
    const event = await first;
    expect(event.done).toBe(false);
    expect(JSON.stringify(event.value)).toContain('"at"');
    // Closing the stream (the client going away) ends the generator and unsubscribes it.
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
    expect(hub.subscriberCount(modelId)).toBe(0);
  });
});

describe("dashboard.live over HTTP", () => {
  it("streams server-sent events through the fetch adapter the web app uses", async () => {
    const hub = ingestNotificationHubOf(database.db);
    const controller = new AbortController();
    const input = encodeURIComponent(
      JSON.stringify({ json: { projectSlug: "lending", modelSlug: "credit-risk" } }),
    );
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`http://localhost/api/trpc/dashboard.live?input=${input}`, {
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      }),
      router: appRouter,
      createContext: () => createInnerContext({ db: database.db, userId: viewerId }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const readUntil = async (needle: string | RegExp) => {
      while (typeof needle === "string" ? !text.includes(needle) : !needle.test(text)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended before ${String(needle)}: ${text}`);
        text += chunk.value;
      }
    };
    await readUntil("connected");
    while (hub.subscriberCount(modelId) === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stopProbe = await hub.subscribe("00000000-0000-4000-8000-000000000000", () => undefined);
    stopProbe();
    await database.db.execute(sql`select pg_notify('plumbline_ingest', ${modelId})`);
    await readUntil('"at"');
    // Each event carries its time as the SSE id, for lastEventId on reconnection.
    await readUntil(/\nid: ?\d{4}-\d{2}-\d{2}T[\d:.]+Z\n/);
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe("models.task", () => {
  it("keeps models.liveMetrics working", async () => {
    await database.db
      .update(models)
      .set({ task: "binary_classification" })
      .where(eq(models.id, modelId));
    const live = await callerAs(viewerId).models.liveMetrics({
      projectSlug: "lending",
      modelSlug: "credit-risk",
    });
    expect(live.windowMinutes).toBe(60);
  });
});
