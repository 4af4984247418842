"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { skipToken } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";

import {
  isLiveRange,
  mergeViewState,
  parseViewState,
  serializeViewState,
  slicesToQuery,
  type DashboardViewState,
} from "~/dashboard/url-state";
import { useHydrated } from "~/dashboard/use-hydrated";
import { useTRPC } from "~/trpc/react";

import { DashboardProvider, windowInputOf, type DashboardContextValue } from "./dashboard-context";
import { DashboardToolbar, LiveIndicator, type LiveMode } from "./dashboard-toolbar";
import { NoTraffic } from "./no-traffic";
import { PredictionLookup } from "./prediction-lookup";
import { CanaryPeriods } from "./sections/canary-periods";
import { ConfidenceSection } from "./sections/confidence-section";
import { DriftSection } from "./sections/drift-section";
import { PerformanceSection } from "./sections/performance-section";
import { PredictionsSection } from "./sections/predictions-section";
import { QualitySection } from "./sections/quality-section";
import { ReferencesPanel } from "./sections/references-panel";
import { SummaryStats } from "./sections/summary-stats";
import { TrafficSection } from "./sections/traffic-section";

/** While the stream is down, a live view polls this often. */
const POLL_FALLBACK_MS = 5_000;

/** The view in the URL, and a setter that replaces the URL (no history entry per click). */
function useViewState(): [DashboardViewState, (state: DashboardViewState) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = parseViewState(params);
  const setState = (next: DashboardViewState) => {
    const query = mergeViewState(new URLSearchParams(params.toString()), next);
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  return [state, setState];
}

export function ModelDashboard({
  projectSlug,
  modelSlug,
  task,
  versions,
  ingestUrl,
  canWriteReferences,
}: {
  projectSlug: string;
  modelSlug: string;
  task: string;
  versions: string[];
  ingestUrl: string;
  canWriteReferences: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useViewState();
  const [paused, setPaused] = useState(false);
  const mounted = useHydrated();
  // A custom range reaching into the future is live; the server renders as if it were.
  const live = isLiveRange(state.range, mounted ? new Date() : new Date(0));
  const streaming = live && !paused;

  const subscription = useSubscription(
    trpc.dashboard.live.subscriptionOptions(streaming ? { projectSlug, modelSlug } : skipToken, {
      onData: () => {
        // New rows were committed for this model: every open chart asks again.
        void queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.drift.pathKey() });
      },
    }),
  );
  const connected = subscription.status === "pending";
  const mode: LiveMode = !live ? "past" : paused ? "paused" : connected ? "streaming" : "polling";

  const context: DashboardContextValue = {
    projectSlug,
    modelSlug,
    task,
    state,
    slices: slicesToQuery(state),
    refetchInterval: mode === "polling" ? POLL_FALLBACK_MS : false,
    live: streaming,
    canWriteReferences,
    ingestUrl,
    viewQuery: serializeViewState(state),
  };

  const segments = useQuery(
    trpc.dashboard.segments.queryOptions(
      windowInputOf(context, { ...state.slice, segment: undefined }),
      {
        staleTime: 60_000,
      },
    ),
  );
  const traffic = useQuery({
    ...trpc.dashboard.traffic.queryOptions(windowInputOf(context, context.slices[0]?.slice ?? {})),
    refetchInterval: context.refetchInterval,
  });
  const indicator = (
    <LiveIndicator
      mode={mode}
      updatedAt={traffic.dataUpdatedAt}
      onToggle={() => setPaused((current) => !current)}
    />
  );
  const neverReceived =
    traffic.data !== undefined &&
    traffic.data.totals.count === 0 &&
    traffic.data.lastDataAt === null;
  const versionOptions = [
    ...new Set([...versions, ...(traffic.data?.versions.map((v) => v.version) ?? [])]),
  ];

  return (
    <DashboardProvider value={context}>
      <DashboardToolbar
        state={state}
        versions={versionOptions}
        segments={segments.data?.segments ?? []}
        onChange={setState}
        liveIndicator={indicator}
        actions={<PredictionLookup />}
        interactive={mounted}
      />
      <div className="mb-6 empty:hidden">
        <CanaryPeriods />
      </div>
      {neverReceived && !state.slice.version && !state.slice.deployment && !state.slice.segment ? (
        <div className="space-y-6">
          <NoTraffic ingestUrl={ingestUrl} modelSlug={modelSlug} status={indicator} />
          <ReferencesPanel />
        </div>
      ) : (
        <div className="space-y-6">
          <SummaryStats />
          <TrafficSection />
          <PredictionsSection />
          <ConfidenceSection />
          <DriftSection />
          <QualitySection />
          <PerformanceSection />
          <ReferencesPanel />
        </div>
      )}
    </DashboardProvider>
  );
}
