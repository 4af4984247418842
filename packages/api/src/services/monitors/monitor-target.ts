import type { DashboardSlice, MonitorScope } from "@plumbline/contracts";

/** The model a monitor watches, as the readers need it. */
export interface MonitorModel {
  id: string;
  projectId: string;
  task: string;
}

/** A monitor's scope as a dashboard slice (absent fields: all of it). */
export function sliceOf(scope: MonitorScope): DashboardSlice {
  const slice: DashboardSlice = {};
  if (scope.version !== undefined) slice.version = scope.version;
  if (scope.deployment !== undefined) slice.deployment = scope.deployment;
  if (scope.segment !== undefined) slice.segment = scope.segment;
  return slice;
}

export function sliceKey(slice: DashboardSlice): string {
  return JSON.stringify([
    slice.version ?? null,
    slice.deployment ?? null,
    slice.segment?.name ?? null,
    slice.segment?.value ?? null,
  ]);
}

/** A half-open time span [from, to). */
export interface Span {
  from: Date;
  to: Date;
}
