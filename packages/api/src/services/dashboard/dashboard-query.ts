import {
  resolveWindow,
  type DashboardWindowInput,
  type DashboardSlice,
  type ResolvedWindow,
} from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";

import { findDashboardModel, type DashboardModel } from "./find-dashboard-model";

/** A parsed dashboard window input (the router's zod schema output). */
export type ParsedDashboardWindow = ReturnType<typeof DashboardWindowInput.parse>;

/** What every model-page service works on: the model, its resolved window and the slice. */
export interface DashboardQuery {
  db: Database;
  model: DashboardModel;
  window: ResolvedWindow;
  slice: DashboardSlice;
}

/** Resolves the model (NOT_FOUND when missing) and the window at `now`. */
export async function prepareDashboardQuery(
  db: Database,
  projectId: string,
  input: ParsedDashboardWindow,
  now: Date,
): Promise<DashboardQuery> {
  const model = await findDashboardModel(db, projectId, input.modelSlug);
  return { db, model, window: resolveWindow(input.range, now), slice: input.slice };
}

/** The slice as the answer echoes it (absent fields as null). */
export interface EchoedSlice {
  version: string | null;
  deployment: string | null;
  segment: { name: string; value: string } | null;
}

export function echoSlice(slice: DashboardSlice): EchoedSlice {
  return {
    version: slice.version ?? null,
    deployment: slice.deployment ?? null,
    segment: slice.segment ?? null,
  };
}
