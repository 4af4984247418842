import { asc, eq, sql, type SQL } from "drizzle-orm";

import { RANGE_PRESET_MS, type RangePreset } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import { models } from "@plumbline/db/schema";
import { compareCounts, type DriftStatus } from "@plumbline/drift";

import { rollupSource } from "../rollup-sources";
import { shareOf } from "./bucket-axis";
import type { DashboardModel } from "./find-dashboard-model";
import { sumFeatureBins } from "./feature-bin-sums";
import {
  addQualityCounts,
  emptyQualityCounts,
  hasQualityIssue,
  qualitySharesOf,
  referenceMissingShare,
  type QualityCounts,
} from "./quality-shares";
import { loadReferenceProfiles, type StoredProfile } from "./reference-profiles";
import { bucketStart, bucketStartMs, epochMs, selectRows } from "./rollup-sql";
import { computePerformance, type PerformanceSummary } from "../performance";

export interface WorstDriftingFeature {
  name: string;
  /** The version whose reference it drifted from. */
  version: string;
  jsDistance: number;
  status: DriftStatus;
}

export interface ModelHealth {
  slug: string;
  name: string;
  task: string;
  /** Predictions over the range (whole minutes up to now). */
  trafficCount: number;
  /** Predictions per sparkline bucket (see `DashboardOverview.sparkline`); null where none. */
  sparkline: (number | null)[];
  /** Share of scored predictions below the low-confidence threshold; null without scores. */
  lowConfidenceShare: number | null;
  /** The feature whose drift over the range is worst (status, then JS distance); null without a reference. */
  worstDriftingFeature: WorstDriftingFeature | null;
  /** Features with a data-quality problem (see hasQualityIssue), plus one when unknown features arrived. */
  dataQualityIssueCount: number;
  /**
   * Realised accuracy (classifiers) or MAE (regressors) with label coverage. Null until the
   * performance rollups (confusion counts, error sums) exist: the label rollups hold coverage only.
   */
  latestPerformance: { metric: "accuracy" | "mae"; value: number; labelCoverage: number } | null;
  /** Start of the latest minute with data, at any time. */
  lastDataAt: Date | null;
}

export interface DashboardOverview {
  range: RangePreset;
  /** `[from, to)` of the traffic, confidence, drift and quality figures (minute-aligned). */
  from: Date;
  to: Date;
  /** SPARKLINE_POINTS equal buckets ending with the one in progress. */
  sparkline: { bucketMs: number; bucketStarts: Date[] };
  models: ModelHealth[];
}

export const SPARKLINE_POINTS = 24;
const MINUTE_MS = 60_000;

interface TrafficRow {
  model_id: string;
  bucket_ms: number;
  count: number;
  in_range: number;
  score_count: number;
  low_confidence_count: number;
  unknown_feature_count: number;
}

const STATUS_RANK: Record<DriftStatus, number> = {
  alert: 4,
  warn: 3,
  inconclusive: 2,
  ok: 1,
  no_data: 0,
};

/**
 * The prediction rollups of the models over [scanFrom, scanTo), each row marked `in_range`
 * when it lies in the range itself ([from, scanTo)); the part before `from` only draws the
 * sparkline. Split at `from` so that an hour row never straddles it.
 */
function overviewRollups(
  ids: string[],
  scanFrom: Date,
  from: Date,
  scanTo: Date,
  bucketMs: number,
): SQL {
  const columns = "model_id, count, score_count, low_confidence_count, unknown_feature_count";
  const part = (partFrom: Date, partTo: Date, inRange: boolean) => sql`
    select p.*, ${sql.raw(String(inRange))} as in_range
    from (${rollupSource({ table: "prediction_rollups", columns, modelId: ids, from: partFrom, to: partTo, bucketMs })}) p`;
  const parts: SQL[] = [];
  if (scanFrom < from) parts.push(part(scanFrom, from, false));
  parts.push(part(from, scanTo, true));
  return sql.join(parts, sql` union all `);
}

/** Every model of the project with its health over the range (default: the last 24 hours). */
export async function computeOverview(
  db: Database,
  projectId: string,
  range: RangePreset,
  now: Date,
): Promise<DashboardOverview> {
  const spanMs = RANGE_PRESET_MS[range];
  const to = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  const from = new Date(to.getTime() - spanMs);
  const bucketMs = Math.ceil(spanMs / SPARKLINE_POINTS / MINUTE_MS) * MINUTE_MS;
  const sparkEnd = Math.ceil((now.getTime() + 1) / bucketMs) * bucketMs;
  const sparkStart = sparkEnd - SPARKLINE_POINTS * bucketMs;
  const bucketStarts = Array.from(
    { length: SPARKLINE_POINTS },
    (_, index) => new Date(sparkStart + index * bucketMs),
  );

  const projectModels = await db
    .select({ id: models.id, slug: models.slug, name: models.name, task: models.task })
    .from(models)
    .where(eq(models.projectId, projectId))
    .orderBy(asc(models.name));
  if (projectModels.length === 0) {
    return { range, from, to, sparkline: { bucketMs, bucketStarts }, models: [] };
  }
  const ids = projectModels.map((model) => model.id);
  const scanFrom = new Date(Math.min(sparkStart, from.getTime()));
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const [trafficRows, lastRows] = await Promise.all([
    selectRows<TrafficRow>(
      db,
      sql`
        select r.model_id::text as model_id,
          ${bucketStartMs(sql.raw("r.minute"), bucketMs)} as bucket_ms,
          sum(r.count)::float8 as count,
          coalesce(sum(r.count) filter (where r.in_range), 0)::float8 as in_range,
          coalesce(sum(r.score_count) filter (where r.in_range), 0)::float8 as score_count,
          coalesce(sum(r.low_confidence_count) filter (where r.in_range), 0)::float8 as low_confidence_count,
          coalesce(sum(r.unknown_feature_count) filter (where r.in_range), 0)::float8 as unknown_feature_count
        from (${overviewRollups(ids, scanFrom, from, new Date(Math.max(sparkEnd, to.getTime())), bucketMs)}) r
        group by 1, ${bucketStart(sql.raw("r.minute"), bucketMs)}`,
    ),
    selectRows<{ model_id: string; ms: number | null }>(
      db,
      sql`
        select m.id::text as model_id, (
          select ${epochMs("r.minute")} from prediction_rollups_minute r
          where r.model_id = m.id order by r.minute desc limit 1) as ms
        from unnest(array[${idList}]) as m(id)`,
    ),
  ]);
  const lastDataOf = new Map(lastRows.map((row) => [row.model_id, row.ms]));

  const healths = await Promise.all(
    projectModels.map(async (model): Promise<ModelHealth> => {
      const rows = trafficRows.filter((row) => row.model_id === model.id);
      const sparkline: (number | null)[] = new Array<number | null>(SPARKLINE_POINTS).fill(null);
      let trafficCount = 0;
      let scored = 0;
      let low = 0;
      let unknownFeatures = 0;
      for (const row of rows) {
        const slot = (row.bucket_ms - sparkStart) / bucketMs;
        if (slot >= 0 && slot < SPARKLINE_POINTS)
          sparkline[slot] = (sparkline[slot] ?? 0) + row.count;
        trafficCount += row.in_range;
        scored += row.score_count;
        low += row.low_confidence_count;
        unknownFeatures += row.unknown_feature_count;
      }
      const [features, performance] = await Promise.all([
        summariseFeatures(db, model, from, to),
        computePerformance(db, { modelId: model.id, from, to, bucketMs }),
      ]);
      const lastMs = lastDataOf.get(model.id) ?? null;
      return {
        slug: model.slug,
        name: model.name,
        task: model.task,
        trafficCount,
        sparkline,
        lowConfidenceShare: shareOf(low, scored),
        worstDriftingFeature: features.worst,
        dataQualityIssueCount: features.qualityIssues + (unknownFeatures > 0 ? 1 : 0),
        latestPerformance: headlinePerformance(performance.overall),
        lastDataAt: lastMs === null ? null : new Date(lastMs),
      };
    }),
  );
  return { range, from, to, sparkline: { bucketMs, bucketStarts }, models: healths };
}

/** Worst drift and the count of features with quality problems, over [from, to). */
async function summariseFeatures(
  db: Database,
  model: DashboardModel,
  from: Date,
  to: Date,
): Promise<{ worst: WorstDriftingFeature | null; qualityIssues: number }> {
  const profiles = await loadReferenceProfiles(db, { modelId: model.id, target: "feature" });
  if (profiles.length === 0) return { worst: null, qualityIssues: 0 };
  const sums = await sumFeatureBins(db, {
    modelId: model.id,
    from,
    to,
    slice: {},
    target: "feature",
    bucketMs: null,
    binCount: Math.max(...profiles.map((stored) => stored.profile.counts.length)),
  });
  const profileOf = new Map<string, StoredProfile>(
    profiles.map((stored) => [`${stored.version}\u0000${stored.name}`, stored]),
  );
  let worst: WorstDriftingFeature | null = null;
  const quality = new Map<string, QualityCounts>();
  for (const row of sums) {
    const counts = quality.get(row.name) ?? emptyQualityCounts();
    addQualityCounts(counts, row);
    quality.set(row.name, counts);
    const stored = profileOf.get(`${row.version}\u0000${row.name}`);
    if (!stored || stored.revision !== row.profileRevision) continue;
    const drift = compareCounts(stored.profile, row.counts.slice(0, stored.profile.counts.length), {
      currentMissing: row.missing,
    });
    const candidate: WorstDriftingFeature = {
      name: row.name,
      version: row.version,
      jsDistance: drift.binned.jsDistance,
      status: drift.status,
    };
    if (
      !worst ||
      STATUS_RANK[candidate.status] > STATUS_RANK[worst.status] ||
      (candidate.status === worst.status && candidate.jsDistance > worst.jsDistance)
    ) {
      worst = candidate;
    }
  }
  let qualityIssues = 0;
  for (const [name, counts] of quality) {
    const reference = referenceMissingShare(
      profiles.filter((stored) => stored.name === name).map((stored) => stored.profile),
    );
    if (hasQualityIssue(qualitySharesOf(counts), reference)) qualityIssues += 1;
  }
  return { worst, qualityIssues };
}

/** Accuracy for a classifier, MAE for a regressor, with the label coverage behind it. */
function headlinePerformance(summary: PerformanceSummary): ModelHealth["latestPerformance"] {
  const labelCoverage = summary.coverage.coverage ?? 0;
  if (summary.classification && summary.classification.count > 0) {
    return { metric: "accuracy", value: summary.classification.accuracy, labelCoverage };
  }
  if (summary.regression && summary.regression.count > 0) {
    return { metric: "mae", value: summary.regression.mae, labelCoverage };
  }
  return null;
}
