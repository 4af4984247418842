import { sql } from "drizzle-orm";

import {
  buildBucketAxis,
  fillBuckets,
  type BucketPoint,
  type DashboardWindow,
} from "./bucket-axis";
import { echoSlice, type DashboardQuery, type EchoedSlice } from "./dashboard-query";
import { sumFeatureBins } from "./feature-bin-sums";
import {
  addQualityCounts,
  emptyQualityCounts,
  qualitySharesOf,
  referenceMissingShare,
  type QualityCounts,
  type QualityShares,
} from "./quality-shares";
import { loadReferenceProfiles } from "./reference-profiles";
import { rollupSource } from "../rollup-sources";
import { bucketStart, bucketStartMs, selectRows } from "./rollup-sql";

export type FeatureQualityBucket = BucketPoint &
  QualityShares & {
    /** Records the feature was checked on; null when none arrived. */
    count: number | null;
  };

export interface FeatureQuality {
  name: string;
  kind: "numeric" | "categorical";
  window: QualityShares & { count: number };
  /** Missing share of the reference (pooled over the versions in view). */
  referenceMissingShare: number | null;
  buckets: FeatureQualityBucket[];
}

export interface CountBucket extends BucketPoint {
  count: number | null;
}

export interface DashboardDataQuality {
  window: DashboardWindow;
  slice: EchoedSlice;
  /** False for a segment slice: segment rollups hold counts only. */
  available: boolean;
  unavailableReason: "segment_slice" | null;
  /**
   * Per feature, from the bin rollups, which exist only for versions with a reference
   * (baseline): features of versions without one are not listed (see `versionsWithoutReference`).
   */
  features: FeatureQuality[];
  /** Features sent that the model's registered schema does not know, per bucket. */
  unknownFeatures: { buckets: CountBucket[]; total: number };
  /** Values whose type differs from the registered schema (all features), per bucket. */
  schemaTypeMismatches: { buckets: CountBucket[]; total: number };
  /** Versions with traffic in the window and no reference: no per-feature quality for them. */
  versionsWithoutReference: string[];
}

interface SchemaRow {
  bucket_ms: number;
  version: string;
  unknown_feature_count: number;
  type_mismatch_count: number;
}

/** Missing, type-mismatch, out-of-range and unseen shares per feature and bucket, from rollups. */
export async function computeDataQuality(query: DashboardQuery): Promise<DashboardDataQuality> {
  const { db, model, window, slice } = query;
  const axis = buildBucketAxis(window);
  const countBuckets = (perBucket: Map<number, number>) =>
    fillBuckets(
      axis,
      [...perBucket.entries()],
      ([bucketMs]) => bucketMs,
      ([, count], point): CountBucket => ({ ...point, count }),
      (point): CountBucket => ({ ...point, count: null }),
    );
  const base = { window: axis.window, slice: echoSlice(slice) };
  if (slice.segment) {
    const none = countBuckets(new Map());
    return {
      ...base,
      available: false,
      unavailableReason: "segment_slice",
      features: [],
      unknownFeatures: { buckets: none, total: 0 },
      schemaTypeMismatches: { buckets: none, total: 0 },
      versionsWithoutReference: [],
    };
  }

  const profiles = await loadReferenceProfiles(db, {
    modelId: model.id,
    version: slice.version,
    target: "feature",
  });
  const [binSums, schemaRows] = await Promise.all([
    profiles.length === 0
      ? Promise.resolve([])
      : sumFeatureBins(db, {
          modelId: model.id,
          from: window.from,
          to: window.to,
          slice,
          target: "feature",
          bucketMs: window.bucketMs,
          binCount: Math.max(...profiles.map((stored) => stored.profile.counts.length)),
        }),
    selectRows<SchemaRow>(
      db,
      sql`
        select ${bucketStartMs(sql.raw("r.minute"), window.bucketMs)} as bucket_ms, r.version,
          sum(r.unknown_feature_count)::float8 as unknown_feature_count,
          sum(r.type_mismatch_count)::float8 as type_mismatch_count
        from (${rollupSource({
          table: "prediction_rollups",
          columns: "version, unknown_feature_count, type_mismatch_count",
          modelId: model.id,
          from: window.from,
          to: window.to,
          bucketMs: window.bucketMs,
          version: slice.version,
          deployment: slice.deployment,
        })}) r
        group by ${bucketStart(sql.raw("r.minute"), window.bucketMs)}, 2`,
    ),
  ]);

  const unknown = new Map<number, number>();
  const mismatches = new Map<number, number>();
  const versionsWithTraffic = new Set<string>();
  for (const row of schemaRows) {
    versionsWithTraffic.add(row.version);
    unknown.set(row.bucket_ms, (unknown.get(row.bucket_ms) ?? 0) + row.unknown_feature_count);
    mismatches.set(row.bucket_ms, (mismatches.get(row.bucket_ms) ?? 0) + row.type_mismatch_count);
  }
  const profiledVersions = new Set(profiles.map((stored) => stored.version));

  // Quality signals are meaningful whatever profile revision counted them (only bins differ).
  const perFeature = new Map<
    string,
    { total: QualityCounts; perBucket: Map<number, QualityCounts> }
  >();
  for (const sums of binSums) {
    let feature = perFeature.get(sums.name);
    if (!feature)
      perFeature.set(sums.name, (feature = { total: emptyQualityCounts(), perBucket: new Map() }));
    let bucket = feature.perBucket.get(sums.bucketMs);
    if (!bucket) feature.perBucket.set(sums.bucketMs, (bucket = emptyQualityCounts()));
    addQualityCounts(bucket, sums);
    addQualityCounts(feature.total, sums);
  }

  const names = [
    ...new Set([...profiles.map((stored) => stored.name), ...perFeature.keys()]),
  ].sort();
  const features = names.map((name): FeatureQuality => {
    const ofName = profiles.filter((stored) => stored.name === name);
    const feature = perFeature.get(name);
    return {
      name,
      kind: ofName[0]?.profile.kind ?? "numeric",
      window: { ...qualitySharesOf(feature?.total ?? null), count: feature?.total.records ?? 0 },
      referenceMissingShare: referenceMissingShare(ofName.map((stored) => stored.profile)),
      buckets: fillBuckets(
        axis,
        [...(feature?.perBucket.entries() ?? [])],
        ([bucketMs]) => bucketMs,
        ([, counts], point): FeatureQualityBucket => ({
          ...point,
          ...qualitySharesOf(counts),
          count: counts.records,
        }),
        (point): FeatureQualityBucket => ({ ...point, ...qualitySharesOf(null), count: null }),
      ),
    };
  });

  const sum = (values: Map<number, number>) => [...values.values()].reduce((a, b) => a + b, 0);
  return {
    ...base,
    available: true,
    unavailableReason: null,
    features,
    unknownFeatures: { buckets: countBuckets(unknown), total: sum(unknown) },
    schemaTypeMismatches: { buckets: countBuckets(mismatches), total: sum(mismatches) },
    versionsWithoutReference: [...versionsWithTraffic]
      .filter((v) => !profiledVersions.has(v))
      .sort(),
  };
}
