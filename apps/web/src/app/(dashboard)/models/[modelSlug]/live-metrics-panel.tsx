"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Radio } from "lucide-react";
import type { ReactNode } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { Card, CardHeader } from "~/components/ui/card";
import { CodeBlock } from "~/components/code-block";
import { EmptyState } from "~/components/ui/empty-state";
import {
  formatCompact,
  formatInteger,
  formatPercent,
  formatScore,
} from "~/components/format/numbers";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { ConfidenceChart, VolumeChart } from "./live-charts";
import { hasUnattributedCanary, toChartRows, versionSeries } from "./chart-series";

export type LiveMetrics = RouterOutputs["models"]["liveMetrics"];

const REFRESH_MS = 5_000;
const clock = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export function LiveMetricsPanel({
  projectSlug,
  modelSlug,
  ingestUrl,
}: {
  projectSlug: string;
  modelSlug: string;
  ingestUrl: string;
}) {
  const trpc = useTRPC();
  const metrics = useQuery(
    trpc.models.liveMetrics.queryOptions(
      { projectSlug, modelSlug, minutes: 60 },
      { refetchInterval: REFRESH_MS, staleTime: 0 },
    ),
  );

  if (metrics.isPending) return <LiveMetricsSkeleton />;
  if (metrics.isError && !metrics.data) {
    return <QueryError error={metrics.error} onRetry={() => metrics.refetch()} />;
  }
  const data = metrics.data;
  if (!data) return <LiveMetricsSkeleton />;

  const status = <LiveStatus failing={metrics.isError} updatedAt={metrics.dataUpdatedAt} />;
  return (
    <div className="space-y-6">
      <Totals data={data} />
      {data.totals.count === 0 ? (
        <NoTraffic ingestUrl={ingestUrl} modelSlug={modelSlug} status={status} />
      ) : (
        <Charts data={data} status={status} />
      )}
    </div>
  );
}

function LiveStatus({ failing, updatedAt }: { failing: boolean; updatedAt: number }) {
  return (
    <div className="flex items-center gap-3 text-xs text-ink-muted" data-testid="live-status">
      <span
        className={clsx(
          "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ring-inset",
          failing
            ? "bg-amber-50 text-amber-800 ring-amber-200"
            : "bg-emerald-50 text-emerald-700 ring-emerald-200",
        )}
      >
        <span
          className={clsx(
            "size-1.5 rounded-full",
            failing ? "bg-canary" : "animate-pulse-dot bg-live",
          )}
        />
        {failing ? "Reconnecting" : "Live"}
      </span>
      <span className="tabular-nums" data-testid="last-updated">
        Updated {clock.format(updatedAt)}
      </span>
    </div>
  );
}

function Stat({
  label,
  value,
  detail,
  testId,
  rawValue,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
  rawValue?: number | null;
}) {
  return (
    <Card className="px-5 py-4">
      <div className="text-xs text-ink-muted">{label}</div>
      <div
        className="mt-1.5 text-2xl font-semibold tracking-tight tabular-nums text-ink"
        data-testid={testId}
        data-value={rawValue ?? undefined}
      >
        {value}
      </div>
      {detail ? <div className="mt-1 text-xs text-ink-faint">{detail}</div> : null}
    </Card>
  );
}

function Totals({ data }: { data: LiveMetrics }) {
  const { count, meanScore, errorCount } = data.totals;
  const lowConfidence = data.points.reduce((sum, point) => sum + point.lowConfidenceCount, 0);
  const canary = data.points.reduce((sum, point) => sum + point.canaryCount, 0);
  const activeMinutes = data.points.filter((point) => point.count > 0).length;
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <Stat
        label="Predictions, last hour"
        value={formatInteger(count)}
        rawValue={count}
        testId="total-predictions"
        detail={
          activeMinutes > 0
            ? `≈ ${formatCompact(Math.round(count / activeMinutes))} per active minute`
            : "Nothing received"
        }
      />
      <Stat
        label="Mean confidence"
        value={formatScore(meanScore)}
        rawValue={meanScore}
        testId="mean-confidence"
        detail={
          count > 0 ? `${formatPercent(lowConfidence / count)} low-confidence` : "No scores yet"
        }
      />
      <Stat
        label="Errors"
        value={formatInteger(errorCount)}
        rawValue={errorCount}
        testId="total-errors"
        detail={count > 0 ? `${formatPercent(errorCount / count)} of predictions` : "No errors"}
      />
      <Stat
        label="Canary traffic"
        value={count > 0 && canary > 0 ? formatPercent(canary / count) : "—"}
        detail={canary > 0 ? `${formatInteger(canary)} predictions` : "No canary deployment"}
      />
    </div>
  );
}

function Charts({ data, status }: { data: LiveMetrics; status: ReactNode }) {
  const rows = toChartRows(data);
  const series = versionSeries(data);
  return (
    <>
      <Card>
        <CardHeader
          title="Prediction volume"
          description="Predictions per minute over the last hour, stacked by model version."
          actions={status}
        />
        <div className="px-3 pt-4 pb-2" data-testid="volume-chart">
          <VolumeChart
            rows={rows}
            series={series}
            canaryLine={hasUnattributedCanary(data, series)}
          />
        </div>
      </Card>
      <Card>
        <CardHeader
          title="Mean confidence"
          description="Mean prediction score per minute, across all versions (0 to 1)."
        />
        <div className="px-3 pt-4 pb-2" data-testid="confidence-chart">
          <ConfidenceChart rows={rows} />
        </div>
      </Card>
    </>
  );
}

function NoTraffic({
  ingestUrl,
  modelSlug,
  status,
}: {
  ingestUrl: string;
  modelSlug: string;
  status: ReactNode;
}) {
  const curl = [
    `curl -X POST ${ingestUrl}/v1/predictions \\`,
    `  -H "Authorization: Bearer $PLUMBLINE_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"model": {"id": "${modelSlug}", "version": "1"}, "records": [{`,
    `    "prediction_id": "example-1",`,
    `    "timestamp": "'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'",`,
    `    "features": {"age": 42},`,
    `    "prediction": {"label": "approve", "score": 0.87}}]}'`,
  ].join("\n");
  return (
    <EmptyState
      icon={Radio}
      title="No predictions in the last hour"
      testId="no-traffic"
      wide
      action={
        <div className="space-y-3">
          <CodeBlock code={curl} label="POST /v1/predictions" />
          <div className="flex justify-center">{status}</div>
        </div>
      }
    >
      Send some from your inference service and they appear here within seconds; this page refreshes
      by itself. Use a project API key with the <code className="font-mono">predictions:write</code>{" "}
      scope (the demo prints one when it starts).
    </EmptyState>
  );
}

export function LiveMetricsSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading live metrics">
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {[0, 1, 2, 3].map((card) => (
          <Card key={card} className="space-y-3 px-5 py-4">
            <Skeleton className="h-3 w-28" />
            <Skeleton className="h-7 w-20" />
            <Skeleton className="h-3 w-32" />
          </Card>
        ))}
      </div>
      {[0, 1].map((chart) => (
        <Card key={chart} className="p-5">
          <Skeleton className="mb-2 h-3.5 w-36" />
          <Skeleton className="mb-5 h-3 w-72" />
          <Skeleton className="h-56 w-full" />
        </Card>
      ))}
    </div>
  );
}
