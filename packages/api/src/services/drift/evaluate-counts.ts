import { compareCounts, type CountsDrift, type ReferenceProfile } from "@plumbline/drift";

import type { BinCounts } from "./sum-bin-counts";

/** A version's drift for one feature over a bucket or window, with its quality counters. */
export interface EvaluatedCounts {
  version: string;
  profile: ReferenceProfile;
  counts: BinCounts;
  drift: CountsDrift;
}

export function emptyBinCounts(bins: number): BinCounts {
  return {
    counts: new Array<number>(bins).fill(0),
    missing: 0,
    outOfRange: 0,
    unseen: 0,
    typeMismatch: 0,
  };
}

/** Adds `from` into `into` (bin by bin, and every counter). */
export function addBinCounts(into: BinCounts, from: BinCounts): void {
  from.counts.forEach((count, bin) => {
    if (bin < into.counts.length) into.counts[bin] = (into.counts[bin] ?? 0) + count;
  });
  into.missing += from.missing;
  into.outOfRange += from.outOfRange;
  into.unseen += from.unseen;
  into.typeMismatch += from.typeMismatch;
}

/** Records behind the counts: each record adds one bin count, one missing or one mismatch. */
export function recordsOf(counts: BinCounts): number {
  return (
    counts.counts.reduce((sum, count) => sum + count, 0) + counts.missing + counts.typeMismatch
  );
}

/**
 * `@plumbline/drift`'s `compareCounts` on summed rollup counts, with the current missing count
 * for the missing-share test. The rollups were counted against this very profile revision, so
 * the lengths agree; a stray length (a hand-edited row) is padded rather than thrown on.
 */
export function evaluateCounts(
  version: string,
  profile: ReferenceProfile,
  counts: BinCounts,
): EvaluatedCounts {
  const aligned = profile.counts.map((_, bin) => counts.counts[bin] ?? 0);
  const drift = compareCounts(profile, aligned, { currentMissing: counts.missing });
  return { version, profile, counts: { ...counts, counts: aligned }, drift };
}

/**
 * Ranks versions' results for one feature when several versions share a window. Conclusive
 * evidence wins: alert, then warn, then ok, then inconclusive, then no data; ties go to the
 * larger JS distance, then the larger window. So the combined status is the worst a version
 * shows with enough data to say so, and `inconclusive` only when no version can tell; a small
 * canary does not grey out a well-measured stable version (filter by version to see it alone).
 */
const COMBINE_RANK = { alert: 4, warn: 3, ok: 2, inconclusive: 1, no_data: 0 } as const;

export function pickRepresentative(results: readonly EvaluatedCounts[]): EvaluatedCounts | null {
  let best: EvaluatedCounts | null = null;
  for (const result of results) {
    if (!best) {
      best = result;
      continue;
    }
    const rank = COMBINE_RANK[result.drift.status] - COMBINE_RANK[best.drift.status];
    const js = result.drift.binned.jsDistance - best.drift.binned.jsDistance;
    const size = result.drift.n.current - best.drift.n.current;
    if (rank > 0 || (rank === 0 && (js > 0 || (js === 0 && size > 0)))) best = result;
  }
  return best;
}

/** Sort order of the table and heat map: alert, warn, then the rest, each by JS distance. */
const SORT_RANK = { alert: 3, warn: 2, inconclusive: 1, ok: 1, no_data: 0 } as const;

export function compareWorstFirst(
  a: { status: keyof typeof SORT_RANK; jsDistance: number | null; name: string; target: string },
  b: { status: keyof typeof SORT_RANK; jsDistance: number | null; name: string; target: string },
): number {
  return (
    SORT_RANK[b.status] - SORT_RANK[a.status] ||
    (b.jsDistance ?? -1) - (a.jsDistance ?? -1) ||
    a.target.localeCompare(b.target) ||
    a.name.localeCompare(b.name)
  );
}
