/**
 * Per-minute rollups of a batch, added to the rollup tables in the transaction that stores the
 * raw rows. Computed here, added in SQL (`n = n + excluded.n`, arrays element-wise): no
 * read-modify-write, so concurrent requests stay exact.
 */
import { LOW_CONFIDENCE_SCORE } from "@plumbline/db/histogram-buckets";

import {
  boundedBucket,
  LATENCY_BUCKET_BOUNDS_MS,
  SCORE_HISTOGRAM_BINS,
  scoreBin,
} from "./histograms";

/** A score below this counts as a low-confidence prediction on the dashboard. */
export { LOW_CONFIDENCE_SCORE };

export interface RollupInput {
  modelId: string;
  version: string;
  deployment: string;
  ts: Date;
  score: number | null;
  latencyMs: number | null;
  status: "ok" | "error";
  segments?: Record<string, string | number | boolean> | null;
  /** Data-quality signals of the record (see feature-schema-check). */
  unknownFeatures?: number;
  typeMismatches?: number;
  /** A CloudEvent half stored without its partner. */
  partial?: boolean;
}

export interface MinuteRollup {
  modelId: string;
  minute: Date;
  version: string;
  deployment: string;
  count: number;
  scoreCount: number;
  scoreSum: number;
  scoreHistogram: number[];
  lowConfidenceCount: number;
  errorCount: number;
  latencyCount: number;
  latencySumMs: number;
  latencyHistogram: number[];
  duplicateCount: number;
  unknownFeatureCount: number;
  typeMismatchCount: number;
  partialCount: number;
}

export interface SegmentRollup {
  modelId: string;
  minute: Date;
  version: string;
  deployment: string;
  segment: string;
  value: string;
  count: number;
}

const MINUTE_MS = 60_000;

export function startOfMinute(ts: Date): Date {
  return new Date(Math.floor(ts.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** The rollup row key; sorting by it gives every transaction the same lock order. */
export function rollupKey(modelId: string, minute: Date, version: string, deployment: string) {
  return `${modelId}\u0000${minute.toISOString()}\u0000${version}\u0000${deployment}`;
}

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/**
 * Sums accepted records (and counts duplicates) per (model, minute, version, deployment).
 * Rows come back sorted by that key so that concurrent transactions lock rollup rows in the
 * same order and cannot deadlock each other.
 */
export function aggregateMinuteRollups(
  accepted: readonly RollupInput[],
  duplicates: readonly RollupInput[],
): MinuteRollup[] {
  const rollups = new Map<string, MinuteRollup>();
  const rollupFor = (record: RollupInput): MinuteRollup => {
    const minute = startOfMinute(record.ts);
    const key = rollupKey(record.modelId, minute, record.version, record.deployment);
    let rollup = rollups.get(key);
    if (!rollup) {
      rollup = {
        modelId: record.modelId,
        minute,
        version: record.version,
        deployment: record.deployment,
        count: 0,
        scoreCount: 0,
        scoreSum: 0,
        scoreHistogram: new Array<number>(SCORE_HISTOGRAM_BINS).fill(0),
        lowConfidenceCount: 0,
        errorCount: 0,
        latencyCount: 0,
        latencySumMs: 0,
        latencyHistogram: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0),
        duplicateCount: 0,
        unknownFeatureCount: 0,
        typeMismatchCount: 0,
        partialCount: 0,
      };
      rollups.set(key, rollup);
    }
    return rollup;
  };

  for (const record of accepted) {
    const rollup = rollupFor(record);
    rollup.count += 1;
    if (record.score !== null) {
      rollup.scoreCount += 1;
      rollup.scoreSum += record.score;
      rollup.scoreHistogram[scoreBin(record.score)]! += 1;
      if (record.score < LOW_CONFIDENCE_SCORE) rollup.lowConfidenceCount += 1;
    }
    if (record.status === "error") rollup.errorCount += 1;
    if (record.latencyMs !== null) {
      rollup.latencyCount += 1;
      rollup.latencySumMs += record.latencyMs;
      rollup.latencyHistogram[boundedBucket(LATENCY_BUCKET_BOUNDS_MS, record.latencyMs)]! += 1;
    }
    rollup.unknownFeatureCount += record.unknownFeatures ?? 0;
    rollup.typeMismatchCount += record.typeMismatches ?? 0;
    if (record.partial) rollup.partialCount += 1;
  }
  for (const record of duplicates) rollupFor(record).duplicateCount += 1;

  return sortedValues(rollups);
}

/** Records per (model, minute, version, deployment, segment, value), sorted by that key. */
export function aggregateSegmentRollups(accepted: readonly RollupInput[]): SegmentRollup[] {
  const rollups = new Map<string, SegmentRollup>();
  for (const record of accepted) {
    if (!record.segments) continue;
    const minute = startOfMinute(record.ts);
    const base = rollupKey(record.modelId, minute, record.version, record.deployment);
    for (const [segment, raw] of Object.entries(record.segments)) {
      const value = String(raw);
      const key = `${base}\u0000${segment}\u0000${value}`;
      const rollup = rollups.get(key);
      if (rollup) rollup.count += 1;
      else {
        rollups.set(key, {
          modelId: record.modelId,
          minute,
          version: record.version,
          deployment: record.deployment,
          segment,
          value,
          count: 1,
        });
      }
    }
  }
  return sortedValues(rollups);
}
