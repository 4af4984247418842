import { sql } from "drizzle-orm";

import {
  resolveWindow,
  type DashboardRange,
  type DashboardSlice,
  type ResolvedWindow,
} from "@plumbline/contracts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";

import { findModel } from "../registry/models";
import type { DriftUnavailable, DriftWindow } from "./drift-output";
import { loadReferences, type LoadedReference } from "./load-references";

/** What every drift query resolves first: the model, the window, and the references in use. */
export interface DriftScope {
  modelId: string;
  window: ResolvedWindow;
  slice: DashboardSlice;
  /** Each version compared (the slice's, or every version with a reference) and its reference. */
  references: Map<string, LoadedReference>;
  /** The current profile revision of each compared version, for the rollup query. */
  revisions: Map<string, number>;
  unavailable: DriftUnavailable | null;
}

export interface DriftWindowRequest {
  modelSlug: string;
  range: DashboardRange;
  slice: DashboardSlice;
}

export function driftWindowOf(window: ResolvedWindow): DriftWindow {
  return {
    from: window.from,
    to: window.to,
    bucketMs: window.bucketMs,
    inProgressBucket: window.inProgressBucket,
  };
}

/**
 * Resolves the model (NOT_FOUND naming the slug), the bucket-aligned window and the references.
 * A segment slice is refused with a reason: bin rollups are not kept per segment, and counts
 * of the whole traffic labelled as a segment's would be wrong numbers.
 */
export async function resolveDriftScope(
  db: DatabaseOrTransaction,
  projectId: string,
  request: DriftWindowRequest,
  now: Date,
): Promise<DriftScope> {
  const model = await findModel(db, projectId, request.modelSlug);
  const window = resolveWindow(request.range, now);
  const slice = request.slice;
  const base = { modelId: model.id, window, slice };
  if (slice.segment) {
    return {
      ...base,
      references: new Map(),
      revisions: new Map(),
      unavailable: {
        reason: "segment_slice",
        message:
          `Drift is not available for a segment slice (${slice.segment.name} = ` +
          `${slice.segment.value}): feature bin counts are stored per version and deployment, ` +
          "not per segment. Clear the segment filter, or filter by version or deployment.",
      },
    };
  }
  const references = await loadReferences(
    db,
    model.id,
    slice.version ? [slice.version] : undefined,
  );
  const revisions = new Map(
    [...references].map(([version, { reference }]) => [version, reference.revision]),
  );
  const unavailable: DriftUnavailable | null =
    references.size === 0
      ? {
          reason: "no_reference",
          message: slice.version
            ? `Version ${slice.version} has no reference yet, so there is nothing to compare with. ` +
              "Create one from a production window or upload a training file (References)."
            : "No version of this model has a reference yet, so there is nothing to compare with. " +
              "Create one from a production window or upload a training file (References).",
        }
      : null;
  return { ...base, references, revisions, unavailable };
}

/**
 * Versions that served traffic in the window (and slice) but have no reference: their drift
 * cannot be computed, and the page says so instead of leaving them out silently.
 */
export async function findVersionsWithoutReference(
  db: DatabaseOrTransaction,
  scope: DriftScope,
): Promise<string[]> {
  if (scope.slice.segment) return [];
  const deployment = scope.slice.deployment
    ? sql`and p.deployment = ${scope.slice.deployment}`
    : sql``;
  const version = scope.slice.version ? sql`and v.version = ${scope.slice.version}` : sql``;
  const rows = await db.execute<{ version: string }>(sql`
    select v.version from model_versions v
    where v.model_id = ${scope.modelId}::uuid ${version}
      and not exists (
        select 1 from reference_baselines b where b.model_id = v.model_id and b.version = v.version)
      and exists (
        select 1 from prediction_rollups_minute p
        where p.model_id = v.model_id and p.version = v.version ${deployment}
          and p.minute >= ${scope.window.from.toISOString()}::timestamptz
          and p.minute < ${scope.window.to.toISOString()}::timestamptz)
    order by v.version`);
  return rows.map((row) => row.version);
}
