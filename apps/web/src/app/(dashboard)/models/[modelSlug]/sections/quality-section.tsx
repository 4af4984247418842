"use client";

import { useQueries } from "@tanstack/react-query";

import type { RouterOutputs } from "@plumbline/api";

import { seriesColor } from "~/components/charts/palette";
import { TimeSeriesChart } from "~/components/charts/time-series-chart";
import { formatInteger, formatShare } from "~/components/format/numbers";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { mergeBucketSeries } from "~/dashboard/bucket-series";
import { useTRPC } from "~/trpc/react";

import { queryBehaviourOf, useDashboard, windowInputOf } from "../dashboard-context";
import { featureHref } from "./drift-section";
import { ChartPair, ChartTitle, DashboardSection, WhenLoaded } from "./section";

type DataQuality = RouterOutputs["dashboard"]["dataQuality"];
type FeatureQuality = DataQuality["features"][number];

/** Worst problem first: the largest of a feature's problem shares. */
function worstShare(feature: FeatureQuality): number {
  const { missing, typeMismatch, outOfRange, unseen } = feature.window;
  return Math.max(missing ?? 0, typeMismatch ?? 0, outOfRange ?? 0, unseen ?? 0);
}

/** Highlights a share well above the reference's (missing) or above zero (the others). */
function ShareCell({ value, warnAbove }: { value: number | null; warnAbove: number }) {
  const high = value !== null && value > warnAbove;
  return (
    <TableCell
      numeric
      className={high ? "font-medium text-amber-700 dark:text-amber-300" : undefined}
    >
      {formatShare(value)}
    </TableCell>
  );
}

export function QualitySection() {
  const trpc = useTRPC();
  const context = useDashboard();
  const queries = useQueries({
    queries: context.slices.slice(0, 1).map((slice) => ({
      ...trpc.dashboard.dataQuality.queryOptions(windowInputOf(context, slice.slice)),
      ...queryBehaviourOf(context),
    })),
  });
  return (
    <DashboardSection
      id="quality"
      title="Data quality"
      description="Per feature over the window: values missing (against the reference's own missing share), of the wrong type, outside the reference's range, or categories it never saw; and fields the registered schema does not know."
      testId="quality-section"
    >
      <WhenLoaded queries={queries}>
        {([data]) => {
          if (!data) return null;
          if (!data.available) {
            return (
              <p className="py-6 text-center text-[13px] text-ink-muted">
                Segment slices keep counts only: clear the segment filter to see data quality.
              </p>
            );
          }
          const bucketMs = data.window.bucketMs;
          const schemaRows = mergeBucketSeries(
            [
              { key: "unknown", buckets: data.unknownFeatures.buckets },
              { key: "mismatch", buckets: data.schemaTypeMismatches.buckets },
            ],
            { count: (b) => b.count },
          );
          const features = [...data.features].sort((a, b) => worstShare(b) - worstShare(a));
          const topFeatures = features.slice(0, 5);
          const missingRows = mergeBucketSeries(
            topFeatures.map((feature, index) => ({ key: `f${index}`, buckets: feature.buckets })),
            { missing: (b) => b.missing },
          );
          return (
            <div className="space-y-6">
              <ChartPair>
                <div>
                  <ChartTitle>Missing share over time (the five worst features)</ChartTitle>
                  <TimeSeriesChart
                    testId="missing-share-chart"
                    rows={missingRows}
                    bucketMs={bucketMs}
                    syncId="model-page"
                    height={180}
                    yDomain={[0, "auto"]}
                    formatValue={formatShare}
                    yMinTop={0.05}
                    emptyText={
                      data.versionsWithoutReference.length > 0
                        ? "Per-feature quality needs a reference for the version: create one in References below."
                        : "No feature values in this window."
                    }
                    lines={topFeatures.map((feature, index) => ({
                      key: `f${index}:missing`,
                      label: feature.name,
                      color: seriesColor(index),
                    }))}
                  />
                </div>
                <div>
                  <ChartTitle>Fields outside the registered schema</ChartTitle>
                  <TimeSeriesChart
                    testId="schema-chart"
                    rows={schemaRows}
                    bucketMs={bucketMs}
                    syncId="model-page"
                    height={180}
                    yDomain={[0, "auto"]}
                    formatValue={(value) => formatInteger(value)}
                    yMinTop={5}
                    emptyText="No predictions in this window."
                    lines={[
                      { key: "unknown:count", label: "unknown features", color: seriesColor(5) },
                      { key: "mismatch:count", label: "wrong type", color: seriesColor(3) },
                    ]}
                  />
                </div>
              </ChartPair>
              {features.length > 0 ? (
                <div className="-mx-4 border-t border-line">
                  <Table data-testid="quality-table">
                    <TableHead>
                      <TableRow>
                        <TableHeaderCell>Feature</TableHeaderCell>
                        <TableHeaderCell numeric>Missing</TableHeaderCell>
                        <TableHeaderCell numeric>Reference missing</TableHeaderCell>
                        <TableHeaderCell numeric>Wrong type</TableHeaderCell>
                        <TableHeaderCell numeric>Out of range</TableHeaderCell>
                        <TableHeaderCell numeric>Unseen</TableHeaderCell>
                        <TableHeaderCell numeric>Records</TableHeaderCell>
                      </TableRow>
                    </TableHead>
                    <tbody>
                      {features.map((feature) => (
                        <TableRow key={feature.name} data-testid="quality-row">
                          <TableCell>
                            <a
                              href={featureHref(
                                context.modelSlug,
                                "feature",
                                feature.name,
                                context.viewQuery,
                              )}
                              className="font-mono text-xs text-ink hover:text-accent-strong hover:underline"
                            >
                              {feature.name}
                            </a>
                          </TableCell>
                          <ShareCell
                            value={feature.window.missing}
                            warnAbove={(feature.referenceMissingShare ?? 0) + 0.05}
                          />
                          <TableCell numeric className="text-ink-muted">
                            {formatShare(feature.referenceMissingShare)}
                          </TableCell>
                          <ShareCell value={feature.window.typeMismatch} warnAbove={0} />
                          <ShareCell value={feature.window.outOfRange} warnAbove={0.01} />
                          <ShareCell value={feature.window.unseen} warnAbove={0.01} />
                          <TableCell numeric className="text-ink-muted">
                            {formatInteger(feature.window.count)}
                          </TableCell>
                        </TableRow>
                      ))}
                    </tbody>
                  </Table>
                </div>
              ) : null}
              <p className="text-xs text-ink-faint">
                {formatInteger(data.unknownFeatures.total)} unknown feature values and{" "}
                {formatInteger(data.schemaTypeMismatches.total)} wrong-typed values in this window.
              </p>
            </div>
          );
        }}
      </WhenLoaded>
    </DashboardSection>
  );
}
