"use client";

import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";

import type { RouterOutputs } from "@plumbline/api";
import type { ProfileTarget } from "@plumbline/contracts";

import { HistogramOverlayChart } from "~/components/charts/histogram-overlay-chart";
import { seriesColor } from "~/components/charts/palette";
import { TimeSeriesChart } from "~/components/charts/time-series-chart";
import { formatInteger, formatShare, formatStatistic } from "~/components/format/numbers";
import { formatDateTime } from "~/components/format/time";
import { Card, CardHeader } from "~/components/ui/card";
import { mergeBucketSeries } from "~/dashboard/bucket-series";
import {
  isLiveRange,
  mergeViewState,
  parseViewState,
  slicesToQuery,
  type DashboardViewState,
} from "~/dashboard/url-state";
import { useHydrated } from "~/dashboard/use-hydrated";
import { useTRPC } from "~/trpc/react";

import { DashboardToolbar, LiveIndicator } from "../../../dashboard-toolbar";
import { DriftStatusBadge } from "../../../sections/drift-section";
import { ChartPair, ChartSkeleton, ChartTitle, WhenLoaded } from "../../../sections/section";
import { sliceColor } from "../../../sections/slice-colors";

type FeatureDrift = RouterOutputs["drift"]["feature"];

/** A drill-down without a stream of its own polls this often while its range is live. */
const POLL_MS = 10_000;

function StatisticList({ drift }: { drift: FeatureDrift }) {
  return (
    <dl className="divide-y divide-line" data-testid="feature-statistics">
      {drift.statistics.map((statistic) => (
        <div
          key={statistic.key}
          className="grid grid-cols-[9rem_5rem_minmax(0,1fr)] gap-4 px-5 py-2.5"
        >
          <dt className="text-[13px] text-ink">{statistic.label}</dt>
          <dd className="text-right text-[13px] font-medium text-ink tabular-nums">
            {formatStatistic(statistic.value)}
          </dd>
          <dd className="text-[13px] text-ink-muted" data-testid="statistic-meaning">
            {statistic.meaning}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function SampleSizes({ drift }: { drift: FeatureDrift }) {
  const sizes = drift.sampleSizes;
  if (!sizes) return null;
  return (
    <div className="space-y-2 px-5 py-4 text-[13px]" data-testid="sample-sizes">
      <div className="flex flex-wrap gap-x-6 gap-y-1 text-ink">
        <span>
          Reference{" "}
          <span className="font-medium tabular-nums">{formatInteger(sizes.reference)}</span> values
        </span>
        <span>
          This window{" "}
          <span className="font-medium tabular-nums">{formatInteger(sizes.current)}</span> values
        </span>
        <span>{sizes.bins} bins</span>
      </div>
      <p className="text-ink-muted">{sizes.explanation}</p>
    </div>
  );
}

export function FeatureDrillDown({
  projectSlug,
  modelSlug,
  target,
  name,
}: {
  projectSlug: string;
  modelSlug: string;
  target: ProfileTarget;
  name: string;
}) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = parseViewState(params);
  const [paused, setPaused] = useState(false);
  const hydrated = useHydrated();
  const setState = (next: DashboardViewState) => {
    const query = mergeViewState(new URLSearchParams(params.toString()), next);
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  const slices = slicesToQuery(state);
  const live = isLiveRange(state.range, new Date()) && !paused;
  const queries = useQueries({
    queries: slices.map((slice) => ({
      ...trpc.drift.feature.queryOptions({
        projectSlug,
        modelSlug,
        range: state.range,
        slice: slice.slice,
        target,
        name,
      }),
      placeholderData: keepPreviousData,
      refetchInterval: live ? POLL_MS : (false as const),
    })),
  });
  const first = queries[0]?.data;
  const versions = first?.versions.map((v) => v.version) ?? [];

  return (
    <>
      <header className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-xl font-semibold tracking-tight" data-testid="feature-name">
          {name}
        </h1>
        <span className="text-xs text-ink-faint">{target}</span>
        {first ? <DriftStatusBadge status={first.status} testId="feature-status" /> : null}
      </header>
      <DashboardToolbar
        state={state}
        versions={versions}
        segments={[]}
        onChange={setState}
        interactive={hydrated}
        liveIndicator={
          <LiveIndicator
            mode={!isLiveRange(state.range, new Date()) ? "past" : paused ? "paused" : "polling"}
            updatedAt={queries[0]?.dataUpdatedAt ?? 0}
            onToggle={() => setPaused((current) => !current)}
          />
        }
      />
      <WhenLoaded
        queries={queries}
        skeleton={
          <div className="space-y-6">
            <ChartSkeleton height={260} />
            <ChartSkeleton />
          </div>
        }
      >
        {(answers) => {
          const drifts = answers;
          const main = drifts[0];
          if (!main) return null;
          if (main.unavailable) {
            return (
              <Card
                className="px-5 py-8 text-center text-[13px] text-ink-muted"
                data-testid="drift-unavailable"
              >
                {main.unavailable.message}
              </Card>
            );
          }
          const comparison = drifts[1];
          const comparisonShares = new Map(
            comparison?.bins.map((bin) => [bin.label, bin.currentShare]) ?? [],
          );
          const rows = mergeBucketSeries(
            slices.map((slice, index) => ({
              key: slice.key,
              buckets: drifts[index]?.buckets ?? [],
            })),
            {
              js: (b) => b.jsDistance,
              missing: (b) => b.missingShare,
              typeMismatch: (b) => b.typeMismatchShare,
              outOfRange: (b) => b.outOfRangeShare,
              unseen: (b) => b.unseenShare,
            },
          );
          const bucketMs = main.window.bucketMs;
          const sliceLabel = (index: number) => slices[index]?.label ?? "";
          return (
            <div className="space-y-6">
              <Card>
                <CardHeader
                  title="Reference and current distribution"
                  description={
                    main.reference
                      ? `On the reference profile's bins. Reference of v${main.reference.version}, revision ${main.reference.revision}, built ${formatDateTime(main.reference.builtAt)} from ${formatInteger(main.reference.rows)} rows.`
                      : "On the reference profile's bins."
                  }
                />
                <div className="px-4 pt-4 pb-3">
                  <HistogramOverlayChart
                    height={260}
                    currentLabel={comparison ? sliceLabel(0) : "This window"}
                    comparisonLabel={comparison ? sliceLabel(1) : undefined}
                    bins={main.bins.map((bin) => ({
                      label: bin.outOfVocabulary ? `${bin.label} (unseen)` : bin.label,
                      reference: bin.referenceShare,
                      current: main.sampleSizes?.current ? bin.currentShare : null,
                      comparison: comparisonShares.get(bin.label) ?? null,
                    }))}
                  />
                </div>
              </Card>
              <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
                <Card>
                  <CardHeader title="What the statistics say" />
                  <StatisticList drift={main} />
                </Card>
                <Card>
                  <CardHeader
                    title="Sample sizes"
                    description="How many values stand behind the status, and why a small window is “too few rows”."
                  />
                  <SampleSizes drift={main} />
                  {main.versions.length > 1 ? (
                    <div className="border-t border-line px-5 py-3 text-[13px]">
                      <p className="mb-2 text-xs text-ink-muted">
                        Each version against its own reference
                      </p>
                      <ul className="space-y-1.5">
                        {main.versions.map((version) => (
                          <li key={version.version} className="flex items-center gap-2">
                            <span className="w-12 font-mono text-xs">v{version.version}</span>
                            <DriftStatusBadge status={version.status} />
                            <span className="text-xs text-ink-muted tabular-nums">
                              JS {formatStatistic(version.jsDistance)} ·{" "}
                              {formatInteger(version.currentCount)} values
                            </span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ) : null}
                </Card>
              </div>
              <Card>
                <CardHeader
                  title="Over time"
                  description="Drift per bucket against the same reference, and the data quality of the feature."
                />
                <div className="px-4 pt-4 pb-3">
                  <ChartPair>
                    <div>
                      <ChartTitle>JS distance per bucket (warn at 0.1, alert at 0.2)</ChartTitle>
                      <TimeSeriesChart
                        testId="feature-drift-chart"
                        rows={rows}
                        bucketMs={bucketMs}
                        syncId="feature"
                        yDomain={[0, "auto"]}
                        formatValue={(value) => formatStatistic(value)}
                        yMinTop={0.25}
                        thresholds={[
                          { y: 0.1, label: "warn" },
                          { y: 0.2, label: "alert" },
                        ]}
                        lines={slices.map((slice) => ({
                          key: `${slice.key}:js`,
                          label: slices.length > 1 ? slice.label : "JS distance",
                          color: sliceColor(slice.key),
                        }))}
                      />
                    </div>
                    <div>
                      <ChartTitle>Data quality per bucket</ChartTitle>
                      <TimeSeriesChart
                        testId="feature-quality-chart"
                        rows={rows}
                        bucketMs={bucketMs}
                        syncId="feature"
                        yDomain={[0, "auto"]}
                        formatValue={formatShare}
                        yMinTop={0.05}
                        lines={[
                          { key: "a:missing", label: "missing", color: seriesColor(0) },
                          { key: "a:typeMismatch", label: "wrong type", color: seriesColor(3) },
                          { key: "a:outOfRange", label: "out of range", color: seriesColor(1) },
                          { key: "a:unseen", label: "unseen", color: seriesColor(5) },
                        ]}
                      />
                    </div>
                  </ChartPair>
                </div>
              </Card>
            </div>
          );
        }}
      </WhenLoaded>
    </>
  );
}
