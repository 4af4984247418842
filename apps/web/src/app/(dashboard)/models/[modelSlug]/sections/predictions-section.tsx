"use client";

import { useQueries } from "@tanstack/react-query";

import type { RouterOutputs } from "@plumbline/api";

import { ChartEmpty } from "~/components/charts/chart-parts";
import { seriesColor } from "~/components/charts/palette";
import { StackedShareChart } from "~/components/charts/stacked-share-chart";
import { TimeSeriesChart } from "~/components/charts/time-series-chart";
import { formatStatistic } from "~/components/format/numbers";
import { band, mergeBucketSeries } from "~/dashboard/bucket-series";
import { useTRPC } from "~/trpc/react";

import { queryBehaviourOf, useDashboard, windowInputOf } from "../dashboard-context";
import { ChartPair, ChartTitle, DashboardSection, WhenLoaded } from "./section";
import { sliceColor } from "./slice-colors";

type DashboardPredictions = RouterOutputs["dashboard"]["predictions"];
type Unavailable = DashboardPredictions["unavailable"][number];

const CLASSIFICATION_TASKS = new Set(["binary_classification", "multiclass_classification"]);

const UNAVAILABLE_TEXT: Record<Unavailable["reason"], string> = {
  segment_slice: "Segment slices keep counts only: clear the segment filter to see this.",
  no_reference_profile:
    "Classes and values are binned against the version's reference, and it has none yet: create one in References below.",
  profile_not_suitable: "The reference bins this output differently; upload a matching reference.",
  no_scores: "No prediction in this window carried a score.",
};

function reasonFor(data: DashboardPredictions, series: Unavailable["series"]): string | undefined {
  const found = data.unavailable.find((item) => item.series === series);
  return found ? UNAVAILABLE_TEXT[found.reason] : undefined;
}

/** Class shares (classifiers) or value quantile bands (regressors), per compared slice. */
function ClassShares({ slice, data }: { slice: { label: string }; data: DashboardPredictions }) {
  const shares = data.classShares;
  if (!shares) return null;
  const rows = mergeBucketSeries([{ key: "a", buckets: shares.buckets }], {
    ...Object.fromEntries(
      shares.classes.map((_, index) => [
        `class${index}`,
        (bucket: (typeof shares.buckets)[number]) => bucket.shares[index] ?? null,
      ]),
    ),
  });
  return (
    <div>
      <ChartTitle>{slice.label}: class shares</ChartTitle>
      <StackedShareChart
        testId="class-share-chart"
        rows={rows}
        bucketMs={data.window.bucketMs}
        syncId="model-page"
        series={shares.classes.map((name, index) => ({
          key: `a:class${index}`,
          label: name,
          color: seriesColor(index),
        }))}
      />
    </div>
  );
}

export function PredictionsSection() {
  const trpc = useTRPC();
  const context = useDashboard();
  const queries = useQueries({
    queries: context.slices.map((slice) => ({
      ...trpc.dashboard.predictions.queryOptions(windowInputOf(context, slice.slice)),
      ...queryBehaviourOf(context),
    })),
  });
  return (
    <DashboardSection
      id="predictions"
      title="Prediction distribution"
      description="What the model answers over time: class shares for classifiers, quantile bands for values and scores."
      testId="predictions-section"
    >
      <WhenLoaded queries={queries}>
        {(answers) => {
          const slices = context.slices.map((slice, index) => ({
            ...slice,
            data: answers[index] as DashboardPredictions,
          }));
          const first = slices[0]?.data;
          if (!first) return null;
          const bucketMs = first.window.bucketMs;
          const classifier = CLASSIFICATION_TASKS.has(context.task);
          const hasClasses = slices.some((s) => s.data.classShares);
          const valueRows = mergeBucketSeries(
            slices.map((s) => ({ key: s.key, buckets: s.data.valueBands?.buckets ?? [] })),
            {
              outer: (b) => band(b.p10, b.p90),
              inner: (b) => band(b.p25, b.p75),
              p50: (b) => b.p50,
            },
          );
          const scoreRows = mergeBucketSeries(
            slices.map((s) => ({ key: s.key, buckets: s.data.scoreBands?.buckets ?? [] })),
            {
              outer: (b) => band(b.p10, b.p90),
              inner: (b) => band(b.p25, b.p75),
              p50: (b) => b.p50,
            },
          );
          const bandSeries = (rowsKey: "outer" | "inner", label: string) =>
            slices.map((s) => ({
              key: `${s.key}:${rowsKey}`,
              label: slices.length > 1 ? `${s.label} ${label}` : label,
              color: sliceColor(s.key),
            }));
          const medianLines = slices.map((s) => ({
            key: `${s.key}:p50`,
            label: slices.length > 1 ? `${s.label} median` : "median",
            color: sliceColor(s.key),
          }));
          return (
            <div className="space-y-6">
              {classifier && !hasClasses ? (
                <div>
                  <ChartTitle>Class shares</ChartTitle>
                  <ChartEmpty height={160}>
                    {reasonFor(first, "classShares") ?? "No predicted classes in this window."}
                  </ChartEmpty>
                </div>
              ) : null}
              {hasClasses ? (
                slices.length > 1 ? (
                  <ChartPair>
                    {slices.map((s) => (
                      <ClassShares key={s.key} slice={s} data={s.data} />
                    ))}
                  </ChartPair>
                ) : (
                  <ClassShares slice={{ label: "All classes" }} data={first} />
                )
              ) : null}
              {!classifier ? (
                <div>
                  <ChartTitle>
                    Predicted value: p10–p90, p25–p75 and median
                    {first.valueBands ? " (approximate, from the reference bins)" : ""}
                  </ChartTitle>
                  <TimeSeriesChart
                    testId="value-band-chart"
                    rows={valueRows}
                    bucketMs={bucketMs}
                    syncId="model-page"
                    formatValue={(value) => formatStatistic(value)}
                    bands={[...bandSeries("outer", "p10–p90"), ...bandSeries("inner", "p25–p75")]}
                    lines={medianLines}
                    emptyText={
                      reasonFor(first, "valueBands") ?? "No predicted values in this window."
                    }
                  />
                </div>
              ) : null}
              <div>
                <ChartTitle>Score: p10–p90, p25–p75 and median</ChartTitle>
                <TimeSeriesChart
                  testId="score-band-chart"
                  rows={scoreRows}
                  bucketMs={bucketMs}
                  syncId="model-page"
                  yDomain={[0, 1]}
                  formatValue={(value) => value.toFixed(2)}
                  bands={[...bandSeries("outer", "p10–p90"), ...bandSeries("inner", "p25–p75")]}
                  lines={medianLines}
                  emptyText={reasonFor(first, "scoreBands") ?? "No scores in this window."}
                />
              </div>
            </div>
          );
        }}
      </WhenLoaded>
    </DashboardSection>
  );
}
