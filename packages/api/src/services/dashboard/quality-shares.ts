import type { ReferenceProfile } from "@plumbline/drift";

import { shareOf } from "./bucket-axis";
import type { FeatureBinSums } from "./feature-bin-sums";

/** Data-quality shares of one feature over some records (null when there were none). */
export interface QualityShares {
  missing: number | null;
  typeMismatch: number | null;
  outOfRange: number | null;
  unseen: number | null;
}

/** Counts behind the shares; `records` is every record the feature was checked on. */
export interface QualityCounts {
  records: number;
  missing: number;
  typeMismatch: number;
  outOfRange: number;
  unseen: number;
}

export function emptyQualityCounts(): QualityCounts {
  return { records: 0, missing: 0, typeMismatch: 0, outOfRange: 0, unseen: 0 };
}

/**
 * Adds a bin rollup sum to `counts`. Every checked record lands in exactly one of: a bin,
 * missing, or type mismatch, so those add up to the records; out-of-range and unseen values
 * are also in a bin.
 */
export function addQualityCounts(counts: QualityCounts, sums: FeatureBinSums): void {
  let binned = 0;
  for (const count of sums.counts) binned += count;
  counts.records += binned + sums.missing + sums.typeMismatch;
  counts.missing += sums.missing;
  counts.typeMismatch += sums.typeMismatch;
  counts.outOfRange += sums.outOfRange;
  counts.unseen += sums.unseen;
}

export function qualitySharesOf(counts: QualityCounts | null): QualityShares {
  if (!counts) return { missing: null, typeMismatch: null, outOfRange: null, unseen: null };
  return {
    missing: shareOf(counts.missing, counts.records),
    typeMismatch: shareOf(counts.typeMismatch, counts.records),
    outOfRange: shareOf(counts.outOfRange, counts.records),
    unseen: shareOf(counts.unseen, counts.records),
  };
}

/** Missing share of the reference: missing / (non-missing + missing) over the profiles given. */
export function referenceMissingShare(profiles: readonly ReferenceProfile[]): number | null {
  let missing = 0;
  let total = 0;
  for (const profile of profiles) {
    missing += profile.missing;
    total += profile.n + profile.missing;
  }
  return shareOf(missing, total);
}

/**
 * When a feature counts as a data-quality problem on the overview: at least 1% of its values
 * of the wrong type, out of the reference range or unseen categories, or a missing share at
 * least 5 points above the reference's (the drift spec's minimum missing-share change).
 */
export const QUALITY_ISSUE_MIN_SHARE = 0.01;
export const QUALITY_ISSUE_MIN_MISSING_INCREASE = 0.05;

export function hasQualityIssue(shares: QualityShares, referenceMissing: number | null): boolean {
  const atLeast = (share: number | null) => share !== null && share >= QUALITY_ISSUE_MIN_SHARE;
  if (atLeast(shares.typeMismatch) || atLeast(shares.outOfRange) || atLeast(shares.unseen)) {
    return true;
  }
  // The tolerance keeps an increase of exactly 5 points (0.25 - 0.2 in binary) an increase of 5.
  return (
    shares.missing !== null &&
    shares.missing - (referenceMissing ?? 0) >= QUALITY_ISSUE_MIN_MISSING_INCREASE - 1e-12
  );
}
