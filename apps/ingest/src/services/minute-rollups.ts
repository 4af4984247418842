/**
 * Per-minute rollups of a batch, added to `prediction_rollups_minute` in the transaction that
 * stores the raw rows. Computed here, added in SQL (`n = n + excluded.n`): no read-modify-write,
 * so concurrent requests stay exact.
 */

/** A score below this counts as a low-confidence prediction on the dashboard. */
export const LOW_CONFIDENCE_SCORE = 0.6;

export interface RollupInput {
  modelId: string;
  version: string;
  deployment: string;
  ts: Date;
  score: number | null;
  latencyMs: number | null;
  status: "ok" | "error";
}

export interface MinuteRollup {
  modelId: string;
  minute: Date;
  version: string;
  deployment: string;
  count: number;
  scoreCount: number;
  scoreSum: number;
  lowConfidenceCount: number;
  errorCount: number;
  latencyCount: number;
  latencySumMs: number;
  duplicateCount: number;
}

const MINUTE_MS = 60_000;

export function startOfMinute(ts: Date): Date {
  return new Date(Math.floor(ts.getTime() / MINUTE_MS) * MINUTE_MS);
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
    const key = [record.modelId, minute.toISOString(), record.version, record.deployment].join(
      "\u0000",
    );
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
        lowConfidenceCount: 0,
        errorCount: 0,
        latencyCount: 0,
        latencySumMs: 0,
        duplicateCount: 0,
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
      if (record.score < LOW_CONFIDENCE_SCORE) rollup.lowConfidenceCount += 1;
    }
    if (record.status === "error") rollup.errorCount += 1;
    if (record.latencyMs !== null) {
      rollup.latencyCount += 1;
      rollup.latencySumMs += record.latencyMs;
    }
  }
  for (const record of duplicates) rollupFor(record).duplicateCount += 1;

  return [...rollups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, rollup]) => rollup);
}
