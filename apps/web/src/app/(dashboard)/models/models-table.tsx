"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Boxes, Search } from "lucide-react";
import Link from "next/link";
import { useState } from "react";

import { STATUS_LABELS } from "~/components/charts/palette";
import { Sparkline } from "~/components/charts/sparkline";
import {
  formatCompact,
  formatPercent,
  formatShare,
  formatStatistic,
  formatTask,
} from "~/components/format/numbers";
import { QueryError } from "~/components/query-error";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { controlClassName } from "~/components/ui/field";
import { Skeleton } from "~/components/ui/skeleton";
import { SortableHeaderCell, Table, TableCell, TableHead, TableRow } from "~/components/ui/table";
import { useSortState } from "~/components/ui/use-sort-state";
import { useTRPC } from "~/trpc/react";

import { selectOverviewRows, type ModelHealth, type OverviewSortKey } from "./overview-rows";

const DRIFT_TONES: Record<string, BadgeTone> = {
  ok: "success",
  warn: "canary",
  alert: "danger",
  inconclusive: "neutral",
  no_data: "neutral",
};

function DriftCell({ model }: { model: ModelHealth }) {
  const worst = model.worstDriftingFeature;
  if (!worst) {
    return <span className="text-xs text-ink-faint">No reference</span>;
  }
  return (
    <span className="block min-w-0">
      <span className="flex min-w-0 items-center gap-2">
        <Badge
          tone={DRIFT_TONES[worst.status]}
          data-testid="overview-drift-status"
          data-status={worst.status}
        >
          {STATUS_LABELS[worst.status]}
        </Badge>
        <span className="truncate font-mono text-xs text-ink">{worst.name}</span>
      </span>
      <span className="mt-0.5 block text-[11px] whitespace-nowrap text-ink-faint tabular-nums">
        JS {formatStatistic(worst.jsDistance)} · v{worst.version}
      </span>
    </span>
  );
}

function PerformanceCell({ model }: { model: ModelHealth }) {
  const performance = model.latestPerformance;
  if (!performance) return <span className="text-xs text-ink-faint">No labels yet</span>;
  return (
    <span className="text-right">
      <span className="block text-[13px] font-medium text-ink tabular-nums">
        {performance.metric === "accuracy"
          ? `${formatPercent(performance.value)} acc.`
          : `MAE ${formatStatistic(performance.value)}`}
      </span>
      <span className="block text-[11px] text-ink-faint">
        {formatPercent(performance.labelCoverage)} labelled
      </span>
    </span>
  );
}

export function ModelsTableSkeleton() {
  return (
    <Card aria-busy="true" aria-label="Loading models" className="space-y-4 p-5">
      {[0, 1, 2].map((row) => (
        <div key={row} className="flex items-center gap-6">
          <div className="flex-1 space-y-2">
            <Skeleton className="h-3.5 w-40" />
            <Skeleton className="h-3 w-24" />
          </div>
          <Skeleton className="h-6 w-24" />
          <Skeleton className="h-4 w-14" />
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-4 w-16" />
        </div>
      ))}
    </Card>
  );
}

/** Every model's health at a glance, from the rollups; sortable and searchable. */
export function ModelsTable({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const overview = useQuery(
    trpc.dashboard.overview.queryOptions({ projectSlug }, { refetchInterval: 30_000 }),
  );
  const [search, setSearch] = useState("");
  const [sort, sortBy] = useSortState<OverviewSortKey>({ key: "traffic", direction: "desc" });

  if (overview.isPending) return <ModelsTableSkeleton />;
  if (overview.isError) {
    return <QueryError error={overview.error} onRetry={() => void overview.refetch()} />;
  }
  if (overview.data.models.length === 0) {
    return (
      <EmptyState icon={Boxes} title="No models in this project yet" testId="models-empty">
        A model appears here as soon as it is registered (with the CLI,{" "}
        <code className="font-mono">plumbline models register</code>, or the registry API) or logs
        its first prediction. The demo set-up (<code className="font-mono">pnpm demo</code>) creates
        some for you.
      </EmptyState>
    );
  }
  const rows = selectOverviewRows(overview.data.models, search, sort.key, sort.direction);
  const header = (key: OverviewSortKey, label: string, numeric = false) => (
    <SortableHeaderCell
      active={sort.key === key}
      direction={sort.direction}
      numeric={numeric}
      testId={`overview-sort-${key}`}
      onSort={() => sortBy(key)}
    >
      {label}
    </SortableHeaderCell>
  );
  return (
    <div className="space-y-3">
      <div className="relative max-w-xs">
        <Search
          className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
          aria-hidden
        />
        <input
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Search models"
          aria-label="Search models"
          data-testid="models-search"
          className={clsx(controlClassName({ size: "sm" }), "pl-8")}
        />
      </div>
      <Card>
        <Table data-testid="models-table">
          <TableHead>
            <TableRow>
              {header("name", "Model")}
              {header("traffic", "Predictions, 24 h", true)}
              {header("lowConfidence", "Low confidence", true)}
              {header("drift", "Worst drift")}
              {header("quality", "Data quality", true)}
              {header("performance", "Performance", true)}
            </TableRow>
          </TableHead>
          <tbody>
            {rows.map((model) => (
              <TableRow
                key={model.slug}
                data-testid="model-row"
                data-model-slug={model.slug}
                className="group relative hover:bg-hover"
              >
                <TableCell className="min-w-56">
                  {/* The whole row is the link target; the name is the accessible link text. */}
                  <Link
                    href={`/models/${model.slug}`}
                    className="block truncate text-[13px] font-medium text-ink after:absolute after:inset-0"
                  >
                    {model.name}
                  </Link>
                  <span className="block text-[11px] whitespace-nowrap text-ink-faint">
                    <span className="font-mono">{model.slug}</span> · {formatTask(model.task)}
                  </span>
                </TableCell>
                <TableCell numeric>
                  <span className="flex items-center justify-end gap-3">
                    <Sparkline
                      values={model.sparkline}
                      lastInProgress
                      label={`Predictions per hour over the last 24 hours for ${model.name}`}
                    />
                    <span
                      className={clsx(
                        "w-14 text-[13px] font-medium",
                        model.trafficCount > 0 ? "text-ink" : "text-ink-faint",
                      )}
                      data-testid="overview-traffic"
                      data-value={model.trafficCount}
                    >
                      {formatCompact(model.trafficCount)}
                    </span>
                  </span>
                </TableCell>
                <TableCell numeric>{formatShare(model.lowConfidenceShare)}</TableCell>
                <TableCell className="max-w-72">
                  <DriftCell model={model} />
                </TableCell>
                <TableCell numeric>
                  {model.dataQualityIssueCount > 0 ? (
                    <Badge tone="canary">
                      {model.dataQualityIssueCount === 1
                        ? "1 problem"
                        : `${model.dataQualityIssueCount} problems`}
                    </Badge>
                  ) : (
                    <span className="text-xs text-ink-faint">None</span>
                  )}
                </TableCell>
                <TableCell numeric>
                  <PerformanceCell model={model} />
                </TableCell>
              </TableRow>
            ))}
          </tbody>
        </Table>
        {rows.length === 0 ? (
          <p className="px-5 py-6 text-center text-[13px] text-ink-muted">
            No model matches “{search}”.
          </p>
        ) : null}
      </Card>
    </div>
  );
}
