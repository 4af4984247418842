import { bucketStarts as listBucketStarts } from "@plumbline/contracts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";

import { evaluateFeatures, sumRowsPerFeature, toTableRow } from "./compute-drift-table";
import type { DriftHeatmap, DriftHeatmapCell } from "./drift-output";
import { compareWorstFirst, evaluateCounts, pickRepresentative } from "./evaluate-counts";
import { maxBinsOf, profileKey } from "./load-references";
import { driftWindowOf, resolveDriftScope, type DriftWindowRequest } from "./resolve-drift-scope";
import { sumBinCounts, type BinCountRow } from "./sum-bin-counts";

/**
 * Features x buckets, each cell the drift status of that bucket's counts against the
 * reference (several versions combined as in the table). A bucket without values is a gap
 * (`status: null`), never an `ok`. Rows are ordered as the table: worst over the window first.
 */
export async function computeDriftHeatmap(
  db: DatabaseOrTransaction,
  projectId: string,
  request: DriftWindowRequest,
  now: Date,
): Promise<DriftHeatmap> {
  const scope = await resolveDriftScope(db, projectId, request, now);
  const window = driftWindowOf(scope.window);
  const starts = listBucketStarts(scope.window);
  if (scope.unavailable)
    return { window, unavailable: scope.unavailable, bucketStarts: starts, rows: [] };

  const rows = await sumBinCounts(db, {
    modelId: scope.modelId,
    from: scope.window.from,
    to: scope.window.to,
    revisions: scope.revisions,
    deployment: scope.slice.deployment,
    maxBins: maxBinsOf(scope.references),
    bucketMs: scope.window.bucketMs,
  });
  const byFeatureBucket = new Map<string, BinCountRow[]>();
  for (const row of rows) {
    const key = `${profileKey(row.target, row.name)}\u0000${row.bucketStart}`;
    const list = byFeatureBucket.get(key);
    if (list) list.push(row);
    else byFeatureBucket.set(key, [row]);
  }
  const sums = sumRowsPerFeature(rows);
  const features = evaluateFeatures(scope, (version, target, name) =>
    sums.get(`${version}\u0000${profileKey(target, name)}`),
  );
  const inProgress = scope.window.inProgressBucket?.getTime() ?? null;

  const heatmapRows = features.map((feature) => {
    const tableRow = toTableRow(feature);
    const cells: DriftHeatmapCell[] = starts.map((start) => {
      const bucketRows =
        byFeatureBucket.get(
          `${profileKey(feature.target, feature.name)}\u0000${start.getTime()}`,
        ) ?? [];
      const results = bucketRows.flatMap((row) => {
        const profile = scope.references
          .get(row.version)
          ?.profiles.get(profileKey(row.target, row.name));
        return profile ? [evaluateCounts(row.version, profile.profile, row)] : [];
      });
      const best = pickRepresentative(results);
      const count = results.reduce((sum, result) => sum + result.drift.n.current, 0);
      const hasData = best !== null && best.drift.status !== "no_data";
      return {
        bucketStart: start,
        status: hasData ? best.drift.status : null,
        jsDistance: hasData ? best.drift.binned.jsDistance : null,
        count,
        inProgress: start.getTime() === inProgress,
      };
    });
    return {
      tableRow,
      row: {
        target: feature.target,
        name: feature.name,
        kind: feature.kind,
        status: tableRow.status,
        cells,
      },
    };
  });
  heatmapRows.sort((a, b) => compareWorstFirst(a.tableRow, b.tableRow));
  return {
    window,
    unavailable: null,
    bucketStarts: starts,
    rows: heatmapRows.map(({ row }) => row),
  };
}
