import { MAX_WINDOW_REFERENCE_ROWS, readWindowReferenceRows } from "@plumbline/db/baselines";

import { currentTime, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { findVersion } from "../registry/models";
import { createReference, type CreatedReference } from "./create-reference";

export interface ReferenceWindowInput {
  modelSlug: string;
  version: string;
  from: Date;
  to: Date;
  deployment?: string;
  /** Most recent records to read; at most MAX_WINDOW_REFERENCE_ROWS. */
  maxRows?: number;
}

/**
 * A reference from production: the version's own predictions in `[from, to)` (the most recent
 * MAX_WINDOW_REFERENCE_ROWS at most), profiled with the same builder as an uploaded dataset.
 * Reading raw rows is fine here: it is a one-time build, bounded, on the (model, version, ts)
 * index, not a chart.
 */
export async function createReferenceFromWindow(
  ctx: ServiceContext,
  input: ReferenceWindowInput,
): Promise<CreatedReference> {
  if (input.to <= input.from) {
    throw new ServiceError("BAD_REQUEST", "window_empty", "The window must end after it starts.");
  }
  if (input.from >= currentTime(ctx)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "window_in_future",
      "The window starts in the future: no predictions can be in it yet.",
    );
  }
  const { model } = await findVersion(ctx.db, ctx.projectId, input);
  const rows = await readWindowReferenceRows(ctx.db, {
    modelId: model.id,
    version: input.version,
    from: input.from,
    to: input.to,
    deployment: input.deployment,
    limit: input.maxRows ?? MAX_WINDOW_REFERENCE_ROWS,
  });
  if (rows.length === 0) {
    throw new ServiceError(
      "BAD_REQUEST",
      "window_without_predictions",
      `Version ${input.version} of "${input.modelSlug}" logged no predictions` +
        `${input.deployment ? ` on ${input.deployment}` : ""} between ${input.from.toISOString()} and ` +
        `${input.to.toISOString()}: pick a window with traffic.`,
    );
  }
  return createReference(ctx, {
    model,
    version: input.version,
    rows,
    source: "window",
    window: { from: input.from, to: input.to, deployment: input.deployment },
  });
}
