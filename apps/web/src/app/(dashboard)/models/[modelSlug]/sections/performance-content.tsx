"use client";

import { HistogramOverlayChart } from "~/components/charts/histogram-overlay-chart";
import { ReliabilityDiagram } from "~/components/charts/reliability-diagram";
import { TimeSeriesChart } from "~/components/charts/time-series-chart";
import { formatPercent, formatShare, formatStatistic } from "~/components/format/numbers";
import { formatDuration } from "~/components/format/time";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import {
  errorBucketLabel,
  performanceRows,
  reliabilitySeries,
  type PerformanceView,
} from "~/dashboard/performance-view";

import { ChartPair, ChartTitle } from "./section";
import { sliceColor } from "./slice-colors";

export interface PerformanceSlice {
  key: "a" | "b";
  label: string;
  data: PerformanceView;
}

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="rounded-lg border border-line px-4 py-3">
      <div className="text-xs text-ink-muted">{label}</div>
      <div className="mt-1 text-lg font-semibold text-ink tabular-nums">{value}</div>
      {detail ? <div className="text-[11px] text-ink-faint">{detail}</div> : null}
    </div>
  );
}

/**
 * Realised performance once labels join their predictions: classification metrics with the
 * reliability diagram, or regression errors; each with label coverage and delay.
 */
export function PerformanceContent({
  slices,
  inProgressBucket,
}: {
  slices: PerformanceSlice[];
  inProgressBucket: number | null;
}) {
  const first = slices[0]?.data;
  if (!first) return null;
  const overall = first.overall;
  const rows = performanceRows(slices, inProgressBucket);
  const comparing = slices.length > 1;
  const name = (label: string, what: string) => (comparing ? `${label} ${what}` : what);
  const coverageFigures = (
    <>
      <Figure
        label="Label coverage"
        value={formatShare(overall.coverage.coverage)}
        detail={`${overall.coverage.joined.toLocaleString("en-US")} of ${overall.coverage.predictions.toLocaleString("en-US")} predictions labelled`}
      />
      <Figure
        label="Label delay"
        value={formatDuration(overall.delay.p50Ms)}
        detail={`median; 90% within ${formatDuration(overall.delay.p90Ms)}`}
      />
    </>
  );
  if (overall.coverage.joined === 0) {
    return (
      <div className="space-y-4" data-testid="performance-empty">
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">{coverageFigures}</div>
        <p className="text-[13px] text-ink-muted">
          No label has joined a prediction of this window yet. Post outcomes to{" "}
          <code className="font-mono">/v1/labels</code> with the prediction ids and performance
          appears here, by the time of the predictions.
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-6" data-testid="performance-content">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {overall.classification ? (
          <>
            <Figure
              label="Accuracy"
              value={formatPercent(overall.classification.accuracy)}
              detail={`macro F1 ${formatStatistic(overall.classification.macro.f1)}`}
            />
            <Figure
              label="ROC-AUC"
              value={formatStatistic(overall.binary?.rocAuc ?? null)}
              detail={
                overall.binary
                  ? `${overall.binary.positives} positive, ${overall.binary.negatives} negative`
                  : "Needs binary labels with scores"
              }
            />
          </>
        ) : null}
        {overall.regression ? (
          <>
            <Figure
              label="MAE"
              value={formatStatistic(overall.regression.mae)}
              detail={`mean error ${formatStatistic(overall.regression.meanError)}`}
            />
            <Figure label="RMSE" value={formatStatistic(overall.regression.rmse)} />
          </>
        ) : null}
        {coverageFigures}
      </div>
      <ChartPair>
        {overall.classification ? (
          <div>
            <ChartTitle>Accuracy and ROC-AUC per bucket</ChartTitle>
            <TimeSeriesChart
              testId="accuracy-chart"
              rows={rows}
              bucketMs={first.bucketMs}
              syncId="model-page"
              yDomain={[0, 1]}
              formatValue={(value) => formatStatistic(value)}
              lines={slices.flatMap((s) => [
                {
                  key: `${s.key}:accuracy`,
                  label: name(s.label, "accuracy"),
                  color: sliceColor(s.key),
                },
                {
                  key: `${s.key}:auc`,
                  label: name(s.label, "ROC-AUC"),
                  color: sliceColor(s.key),
                  dashed: true,
                },
              ])}
            />
          </div>
        ) : (
          <div>
            <ChartTitle>MAE and RMSE per bucket</ChartTitle>
            <TimeSeriesChart
              testId="error-metrics-chart"
              rows={rows}
              bucketMs={first.bucketMs}
              syncId="model-page"
              yDomain={[0, "auto"]}
              formatValue={(value) => formatStatistic(value)}
              lines={slices.flatMap((s) => [
                { key: `${s.key}:mae`, label: name(s.label, "MAE"), color: sliceColor(s.key) },
                {
                  key: `${s.key}:rmse`,
                  label: name(s.label, "RMSE"),
                  color: sliceColor(s.key),
                  dashed: true,
                },
              ])}
            />
          </div>
        )}
        <div>
          <ChartTitle>Label coverage per bucket</ChartTitle>
          <TimeSeriesChart
            testId="label-coverage-chart"
            rows={rows}
            bucketMs={first.bucketMs}
            syncId="model-page"
            yDomain={[0, 1]}
            formatValue={formatPercent}
            lines={slices.map((s) => ({
              key: `${s.key}:coverage`,
              label: name(s.label, "labelled"),
              color: sliceColor(s.key),
            }))}
          />
        </div>
      </ChartPair>
      {overall.binary ? (
        <ChartPair>
          <div>
            <ChartTitle>Reliability (calibration)</ChartTitle>
            <ReliabilityDiagram series={reliabilitySeries(slices)} />
          </div>
          {overall.classification ? (
            <div className="-mx-1">
              <ChartTitle>Per class</ChartTitle>
              <Table data-testid="class-metrics">
                <TableHead>
                  <TableRow>
                    <TableHeaderCell>Class</TableHeaderCell>
                    <TableHeaderCell numeric>Precision</TableHeaderCell>
                    <TableHeaderCell numeric>Recall</TableHeaderCell>
                    <TableHeaderCell numeric>F1</TableHeaderCell>
                    <TableHeaderCell numeric>Support</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <tbody>
                  {overall.classification.classes.map((metrics) => (
                    <TableRow key={metrics.className}>
                      <TableCell className="font-mono text-xs">{metrics.className}</TableCell>
                      <TableCell numeric>{formatStatistic(metrics.precision)}</TableCell>
                      <TableCell numeric>{formatStatistic(metrics.recall)}</TableCell>
                      <TableCell numeric>{formatStatistic(metrics.f1)}</TableCell>
                      <TableCell numeric>{metrics.support.toLocaleString("en-US")}</TableCell>
                    </TableRow>
                  ))}
                </tbody>
              </Table>
            </div>
          ) : null}
        </ChartPair>
      ) : null}
      {overall.regression ? (
        <div>
          <ChartTitle>Error distribution (predicted − actual)</ChartTitle>
          <HistogramOverlayChart
            testId="error-distribution"
            currentLabel="Share of labelled predictions"
            emptyText="No labelled values in this window."
            bins={overall.regression.errorDistribution.map((bucket) => ({
              label: errorBucketLabel(bucket),
              reference: null,
              current:
                overall.regression && overall.regression.count > 0
                  ? bucket.count / overall.regression.count
                  : null,
            }))}
          />
        </div>
      ) : null}
    </div>
  );
}
