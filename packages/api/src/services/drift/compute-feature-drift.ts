import { bucketStarts as listBucketStarts, type ProfileTarget } from "@plumbline/contracts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";

import { notFound } from "../service-error";
import { evaluateFeatures, sumRowsPerFeature, versionSummary } from "./compute-drift-table";
import { describeBins } from "./describe-bins";
import { describeSampleSizes, describeStatistics } from "./describe-statistics";
import type { DrillDownBucket, FeatureDrillDown } from "./drift-output";
import { evaluateCounts, recordsOf } from "./evaluate-counts";
import { maxBinsOf, profileKey } from "./load-references";
import { driftWindowOf, resolveDriftScope, type DriftWindowRequest } from "./resolve-drift-scope";
import { sumBinCounts } from "./sum-bin-counts";

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * One feature in depth: the reference and current histograms on the profile's bins, every
 * statistic with a sentence of plain meaning, drift and data quality per bucket, and the sample
 * sizes behind the status. Bins belong to one version's profile, so with several versions the
 * drill-down shows the version whose drift is worst (as the table row does) and lists the others.
 */
export async function computeFeatureDrift(
  db: DatabaseOrTransaction,
  projectId: string,
  request: DriftWindowRequest & { target: ProfileTarget; name: string },
  now: Date,
): Promise<FeatureDrillDown> {
  const scope = await resolveDriftScope(db, projectId, request, now);
  const starts = listBucketStarts(scope.window);
  const empty: FeatureDrillDown = {
    window: driftWindowOf(scope.window),
    unavailable: scope.unavailable,
    target: request.target,
    name: request.name,
    kind: null,
    version: null,
    reference: null,
    status: "no_data",
    primary: null,
    bins: [],
    statistics: [],
    sampleSizes: null,
    bucketStarts: starts,
    buckets: [],
    versions: [],
  };
  if (scope.unavailable) return empty;
  const key = profileKey(request.target, request.name);
  const revisions = new Map(
    [...scope.revisions].filter(([version]) => scope.references.get(version)?.profiles.has(key)),
  );
  if (revisions.size === 0) {
    throw notFound(
      `profiled ${request.target} "${request.name}" in the references of "${request.modelSlug}"`,
    );
  }
  const rows = await sumBinCounts(db, {
    modelId: scope.modelId,
    from: scope.window.from,
    to: scope.window.to,
    revisions,
    deployment: scope.slice.deployment,
    maxBins: maxBinsOf(scope.references, key),
    bucketMs: scope.window.bucketMs,
    feature: { target: request.target, name: request.name },
  });
  const sums = sumRowsPerFeature(rows);
  const [feature] = evaluateFeatures(
    {
      ...scope,
      references: new Map([...scope.references].filter(([version]) => revisions.has(version))),
    },
    (version, target, name) => sums.get(`${version}\u0000${profileKey(target, name)}`),
  ).filter((entry) => entry.target === request.target && entry.name === request.name);
  if (!feature) return empty;

  const focus = feature.representative;
  const { drift, profile } = focus;
  const bins = describeBins(profile);
  const n = drift.n.reference;
  const m = drift.n.current;
  const inProgress = scope.window.inProgressBucket?.getTime() ?? null;
  const bucketRows = new Map(
    rows.filter((row) => row.version === focus.version).map((row) => [row.bucketStart, row]),
  );
  const buckets: DrillDownBucket[] = starts.map((start) => {
    const row = bucketRows.get(start.getTime());
    const base = { bucketStart: start, inProgress: start.getTime() === inProgress };
    if (!row) {
      return {
        ...base,
        status: null,
        jsDistance: null,
        count: 0,
        records: null,
        missingShare: null,
        typeMismatchShare: null,
        outOfRangeShare: null,
        unseenShare: null,
      };
    }
    const result = evaluateCounts(focus.version, profile, row);
    const hasData = result.drift.status !== "no_data";
    const records = recordsOf(result.counts);
    const values = result.drift.n.current;
    return {
      ...base,
      status: hasData ? result.drift.status : null,
      jsDistance: hasData ? result.drift.binned.jsDistance : null,
      count: values,
      records,
      missingShare: share(row.missing, records),
      typeMismatchShare: share(row.typeMismatch, records),
      outOfRangeShare: profile.kind === "numeric" ? share(row.outOfRange, values) : null,
      unseenShare: share(row.unseen, values),
    };
  });

  return {
    ...empty,
    kind: profile.kind,
    version: focus.version,
    reference: scope.references.get(focus.version)?.reference ?? null,
    status: drift.status,
    primary: drift.primary,
    bins: bins.map((bin, index) => {
      const referenceCount = drift.binned.refCounts[index] ?? 0;
      const currentCount = drift.binned.curCounts[index] ?? 0;
      return {
        label: bin.label,
        referenceCount,
        currentCount,
        referenceShare: n > 0 ? referenceCount / n : 0,
        currentShare: m > 0 ? currentCount / m : 0,
        outOfVocabulary: bin.outOfVocabulary,
      };
    }),
    statistics: describeStatistics(focus, bins),
    sampleSizes: describeSampleSizes(focus),
    buckets,
    versions: feature.results.map(versionSummary),
  };
}
