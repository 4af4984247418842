"use client";

import { keepPreviousData } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";

import type { DashboardRange, DashboardSlice } from "@plumbline/contracts";

import type { DashboardViewState, QueriedSlice } from "~/dashboard/url-state";

/** What every section of the model page needs to build its queries and label its charts. */
export interface DashboardContextValue {
  projectSlug: string;
  modelSlug: string;
  task: string;
  state: DashboardViewState;
  slices: QueriedSlice[];
  /** Polling interval for the page's queries, or false when live updates stream (or stop). */
  refetchInterval: number | false;
  live: boolean;
  canWriteReferences: boolean;
  ingestUrl: string;
  /** The search params to carry to a drill-down link (range, filters, comparison). */
  viewQuery: string;
}

const DashboardContext = createContext<DashboardContextValue | null>(null);

export function DashboardProvider({
  value,
  children,
}: {
  value: DashboardContextValue;
  children: ReactNode;
}) {
  return <DashboardContext value={value}>{children}</DashboardContext>;
}

export function useDashboard(): DashboardContextValue {
  const value = useContext(DashboardContext);
  if (!value) throw new Error("useDashboard must be used inside DashboardProvider");
  return value;
}

/** The input of every model-page query for one slice. */
export function windowInputOf(
  context: Pick<DashboardContextValue, "projectSlug" | "modelSlug" | "state">,
  slice: DashboardSlice,
): { projectSlug: string; modelSlug: string; range: DashboardRange; slice: DashboardSlice } {
  return {
    projectSlug: context.projectSlug,
    modelSlug: context.modelSlug,
    range: context.state.range,
    slice,
  };
}

/**
 * How the page's queries behave: the previous answer stays on screen while a new range loads
 * (no skeleton flash), and a live view polls only when the stream is down.
 */
export function queryBehaviourOf(context: Pick<DashboardContextValue, "refetchInterval" | "live">) {
  return {
    placeholderData: keepPreviousData,
    refetchInterval: context.refetchInterval,
    staleTime: context.live ? 0 : Number.POSITIVE_INFINITY,
  } as const;
}
