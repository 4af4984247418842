import { and, eq, gte, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { predictionRollupsMinute } from "@plumbline/db/schema";

export interface LiveMetricsPoint {
  /** Start of the minute, UTC. */
  minute: Date;
  count: number;
  /** Mean of `prediction.score` over the minute; null when no record carried a score. */
  meanScore: number | null;
  errorCount: number;
  lowConfidenceCount: number;
  /** Predictions per version in this minute. */
  countByVersion: Record<string, number>;
  /** Predictions that canary deployments served in this minute. */
  canaryCount: number;
}

export interface LiveMetrics {
  windowMinutes: number;
  points: LiveMetricsPoint[];
  versions: string[];
  totals: {
    count: number;
    meanScore: number | null;
    errorCount: number;
    lastMinuteWithData: Date | null;
  };
}

const MINUTE = 60_000;

/**
 * Per-minute prediction volume and mean confidence of one model over the last `windowMinutes`
 * minutes, read from the per-minute rollups (never the raw table). Every minute of the window
 * is present, with zeros where nothing arrived, so charts show gaps as gaps.
 */
export async function computeLiveMetrics(
  db: Database,
  modelId: string,
  windowMinutes: number,
  now: Date = new Date(),
): Promise<LiveMetrics> {
  const end = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const start = end - (windowMinutes - 1) * MINUTE;
  const rows = await db
    .select({
      minute: predictionRollupsMinute.minute,
      version: predictionRollupsMinute.version,
      deployment: predictionRollupsMinute.deployment,
      count: sql<number>`sum(${predictionRollupsMinute.count})::float8`,
      scoreCount: sql<number>`sum(${predictionRollupsMinute.scoreCount})::float8`,
      scoreSum: sql<number>`sum(${predictionRollupsMinute.scoreSum})::float8`,
      errorCount: sql<number>`sum(${predictionRollupsMinute.errorCount})::float8`,
      lowConfidenceCount: sql<number>`sum(${predictionRollupsMinute.lowConfidenceCount})::float8`,
    })
    .from(predictionRollupsMinute)
    .where(
      and(
        eq(predictionRollupsMinute.modelId, modelId),
        gte(predictionRollupsMinute.minute, new Date(start)),
      ),
    )
    .groupBy(
      predictionRollupsMinute.minute,
      predictionRollupsMinute.version,
      predictionRollupsMinute.deployment,
    );

  const buckets = new Map<number, LiveMetricsPoint & { scoreCount: number; scoreSum: number }>();
  for (let t = start; t <= end; t += MINUTE) {
    buckets.set(t, {
      minute: new Date(t),
      count: 0,
      meanScore: null,
      errorCount: 0,
      lowConfidenceCount: 0,
      countByVersion: {},
      canaryCount: 0,
      scoreCount: 0,
      scoreSum: 0,
    });
  }
  const versions = new Set<string>();
  let lastMinuteWithData: Date | null = null;
  for (const row of rows) {
    const bucket = buckets.get(row.minute.getTime());
    if (!bucket) continue;
    versions.add(row.version);
    bucket.count += row.count;
    bucket.scoreCount += row.scoreCount;
    bucket.scoreSum += row.scoreSum;
    bucket.errorCount += row.errorCount;
    bucket.lowConfidenceCount += row.lowConfidenceCount;
    bucket.countByVersion[row.version] = (bucket.countByVersion[row.version] ?? 0) + row.count;
    if (row.deployment === "canary") bucket.canaryCount += row.count;
    if (row.count > 0 && (!lastMinuteWithData || row.minute > lastMinuteWithData)) {
      lastMinuteWithData = row.minute;
    }
  }

  let count = 0;
  let scoreCount = 0;
  let scoreSum = 0;
  let errorCount = 0;
  const points: LiveMetricsPoint[] = [];
  for (const {
    scoreCount: bucketScoreCount,
    scoreSum: bucketScoreSum,
    ...point
  } of buckets.values()) {
    point.meanScore = bucketScoreCount > 0 ? bucketScoreSum / bucketScoreCount : null;
    count += point.count;
    scoreCount += bucketScoreCount;
    scoreSum += bucketScoreSum;
    errorCount += point.errorCount;
    points.push(point);
  }
  return {
    windowMinutes,
    points,
    versions: [...versions].sort(),
    totals: {
      count,
      meanScore: scoreCount > 0 ? scoreSum / scoreCount : null,
      errorCount,
      lastMinuteWithData,
    },
  };
}
