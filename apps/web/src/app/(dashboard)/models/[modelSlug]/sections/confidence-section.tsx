"use client";

import type { RouterOutputs } from "@plumbline/api";

import { TimeSeriesChart } from "~/components/charts/time-series-chart";
import { formatPercent, formatScore } from "~/components/format/numbers";
import { band, mergeBucketSeries } from "~/dashboard/bucket-series";

import { useDashboard } from "../dashboard-context";
import { ChartPair, ChartTitle, DashboardSection, WhenLoaded } from "./section";
import { sliceColor } from "./slice-colors";
import { useConfidenceQueries } from "./summary-stats";

type DashboardConfidence = RouterOutputs["dashboard"]["confidence"];

export function ConfidenceSection() {
  const context = useDashboard();
  const queries = useConfidenceQueries();
  return (
    <DashboardSection
      id="confidence"
      title="Confidence"
      description="The score's p10–p90 band and median from the score histogram, its exact mean, and the share of predictions below the low-confidence threshold."
      testId="confidence-section"
    >
      <WhenLoaded queries={queries}>
        {(answers) => {
          const slices = context.slices.map((slice, index) => ({
            ...slice,
            data: answers[index] as DashboardConfidence,
          }));
          const first = slices[0]?.data;
          if (!first) return null;
          const rows = mergeBucketSeries(
            slices.map((s) => ({ key: s.key, buckets: s.data.buckets })),
            {
              band: (b) => band(b.p10, b.p90),
              p50: (b) => b.p50,
              mean: (b) => b.mean,
              low: (b) => b.lowConfidenceShare,
            },
          );
          const comparing = slices.length > 1;
          const name = (label: string, what: string) => (comparing ? `${label} ${what}` : what);
          const emptyText = first.available
            ? "No prediction in this window carried a score."
            : "Segment slices keep counts only: clear the segment filter to see confidence.";
          return (
            <ChartPair>
              <div>
                <ChartTitle>Score band, median and mean</ChartTitle>
                <TimeSeriesChart
                  testId="confidence-chart"
                  rows={rows}
                  bucketMs={first.window.bucketMs}
                  syncId="model-page"
                  yDomain={[0, 1]}
                  formatValue={formatScore}
                  emptyText={emptyText}
                  bands={slices.map((s) => ({
                    key: `${s.key}:band`,
                    label: name(s.label, "p10–p90"),
                    color: sliceColor(s.key),
                  }))}
                  lines={slices.flatMap((s) => [
                    {
                      key: `${s.key}:mean`,
                      label: name(s.label, "mean"),
                      color: sliceColor(s.key),
                    },
                    {
                      key: `${s.key}:p50`,
                      label: name(s.label, "median"),
                      color: sliceColor(s.key),
                      dashed: true,
                    },
                  ])}
                />
              </div>
              <div>
                <ChartTitle>
                  Low-confidence share (score below {formatScore(first.lowConfidenceThreshold)})
                </ChartTitle>
                <TimeSeriesChart
                  testId="low-confidence-chart"
                  rows={rows}
                  bucketMs={first.window.bucketMs}
                  syncId="model-page"
                  yDomain={[0, "auto"]}
                  formatValue={formatPercent}
                  yMinTop={0.05}
                  emptyText={emptyText}
                  lines={slices.map((s) => ({
                    key: `${s.key}:low`,
                    label: name(s.label, "below threshold"),
                    color: sliceColor(s.key),
                  }))}
                />
              </div>
            </ChartPair>
          );
        }}
      </WhenLoaded>
    </DashboardSection>
  );
}
