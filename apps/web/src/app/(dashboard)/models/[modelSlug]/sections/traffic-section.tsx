"use client";

import { useQueries } from "@tanstack/react-query";

import type { RouterOutputs } from "@plumbline/api";

import { seriesColor } from "~/components/charts/palette";
import { TimeSeriesChart, type LineSeries } from "~/components/charts/time-series-chart";
import { VolumeBarChart } from "~/components/charts/volume-bar-chart";
import { formatLatency, formatPercent } from "~/components/format/numbers";
import { mergeBucketSeries } from "~/dashboard/bucket-series";
import { useTRPC } from "~/trpc/react";

import { queryBehaviourOf, useDashboard, windowInputOf } from "../dashboard-context";
import { ChartPair, ChartTitle, DashboardSection, WhenLoaded } from "./section";
import { sliceColor } from "./slice-colors";
import { useAlertMarkers } from "./use-alert-markers";

export type DashboardTraffic = RouterOutputs["dashboard"]["traffic"];

/** The traffic queries of every queried slice; the summary and the empty state share them. */
export function useTrafficQueries() {
  const trpc = useTRPC();
  const context = useDashboard();
  return useQueries({
    queries: context.slices.map((slice) => ({
      ...trpc.dashboard.traffic.queryOptions(windowInputOf(context, slice.slice)),
      ...queryBehaviourOf(context),
    })),
  });
}

export function TrafficSection() {
  const context = useDashboard();
  const queries = useTrafficQueries();
  const markers = useAlertMarkers(queries[0]?.data?.window);
  return (
    <DashboardSection
      id="traffic"
      title="Traffic"
      description="Predictions per bucket, the share that failed, and latency percentiles from the latency histogram."
      testId="traffic-section"
    >
      <WhenLoaded queries={queries}>
        {(answers) => {
          const slices = context.slices.map((slice, index) => ({
            ...slice,
            data: answers[index] as DashboardTraffic,
          }));
          const bucketMs = slices[0]?.data.window.bucketMs ?? 60_000;
          const rows = mergeBucketSeries(
            slices.map((s) => ({ key: s.key, buckets: s.data.buckets })),
            {
              count: (b) => b.count,
              errorRate: (b) => b.errorRate,
              p50: (b) => b.latencyP50Ms,
              p95: (b) => b.latencyP95Ms,
              p99: (b) => b.latencyP99Ms,
            },
          );
          const comparing = slices.length > 1;
          const latencyLines: LineSeries[] = comparing
            ? slices.flatMap((s) => [
                { key: `${s.key}:p95`, label: `${s.label} p95`, color: sliceColor(s.key) },
                {
                  key: `${s.key}:p50`,
                  label: `${s.label} p50`,
                  color: sliceColor(s.key),
                  dashed: true,
                },
              ])
            : [
                { key: "a:p50", label: "p50", color: seriesColor(0) },
                { key: "a:p95", label: "p95", color: seriesColor(1) },
                { key: "a:p99", label: "p99", color: seriesColor(5) },
              ];
          const latencyAvailable = slices.every((s) => s.data.available.latency);
          const errorsAvailable = slices.every((s) => s.data.available.errors);
          return (
            <div className="space-y-6">
              <div>
                <ChartTitle>Predictions per bucket</ChartTitle>
                <VolumeBarChart
                  testId="volume-chart"
                  rows={rows}
                  bucketMs={bucketMs}
                  stacked={false}
                  syncId="model-page"
                  alertMarkers={markers}
                  series={slices.map((s) => ({
                    key: `${s.key}:count`,
                    label: s.label,
                    color: sliceColor(s.key),
                  }))}
                />
              </div>
              <ChartPair>
                <div>
                  <ChartTitle>Error rate</ChartTitle>
                  <TimeSeriesChart
                    testId="error-rate-chart"
                    alertMarkers={markers}
                    rows={rows}
                    bucketMs={bucketMs}
                    syncId="model-page"
                    height={180}
                    yDomain={[0, "auto"]}
                    formatValue={formatPercent}
                    yMinTop={0.01}
                    emptyText={
                      errorsAvailable
                        ? "No predictions in this window."
                        : "A segment slice has counts only: clear the segment filter to see errors."
                    }
                    lines={slices.map((s) => ({
                      key: `${s.key}:errorRate`,
                      label: s.label,
                      color: sliceColor(s.key),
                    }))}
                  />
                </div>
                <div>
                  <ChartTitle>Latency</ChartTitle>
                  <TimeSeriesChart
                    testId="latency-chart"
                    alertMarkers={markers}
                    rows={rows}
                    bucketMs={bucketMs}
                    syncId="model-page"
                    height={180}
                    yDomain={[0, "auto"]}
                    formatValue={formatLatency}
                    yMinTop={10}
                    emptyText={
                      latencyAvailable
                        ? "No prediction in this window reported its latency (latency_ms)."
                        : "A segment slice has counts only: clear the segment filter to see latency."
                    }
                    lines={latencyLines}
                  />
                </div>
              </ChartPair>
            </div>
          );
        }}
      </WhenLoaded>
    </DashboardSection>
  );
}
