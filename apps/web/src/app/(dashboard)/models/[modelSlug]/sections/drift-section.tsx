"use client";

import { useQueries } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";

import type { RouterOutputs } from "@plumbline/api";

import { DriftHeatMap } from "~/components/charts/heat-map";
import { STATUS_LABELS, STATUS_SEVERITY, type DriftStatus } from "~/components/charts/palette";
import {
  formatInteger,
  formatPValue,
  formatShare,
  formatStatistic,
} from "~/components/format/numbers";
import { formatDateTime } from "~/components/format/time";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import {
  SortableHeaderCell,
  Table,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from "~/components/ui/table";
import { useSortState } from "~/components/ui/use-sort-state";
import { useTRPC } from "~/trpc/react";

import { queryBehaviourOf, useDashboard, windowInputOf } from "../dashboard-context";
import { ChartTitle, DashboardSection, WhenLoaded } from "./section";
import { useAlertMarkers } from "./use-alert-markers";

type DriftTable = RouterOutputs["drift"]["table"];
type DriftRow = DriftTable["rows"][number];
type DriftHeatmap = RouterOutputs["drift"]["heatmap"];

const STATUS_TONES: Record<DriftStatus, BadgeTone> = {
  ok: "success",
  warn: "canary",
  alert: "danger",
  inconclusive: "neutral",
  no_data: "neutral",
};

export function DriftStatusBadge({ status, testId }: { status: DriftStatus; testId?: string }) {
  return (
    <Badge tone={STATUS_TONES[status]} data-testid={testId} data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

const TARGET_LABELS: Record<string, string> = {
  feature: "feature",
  prediction: "prediction",
  score: "score",
};

/** The drill-down page of a feature, keeping the page's range, filters and comparison. */
export function featureHref(modelSlug: string, target: string, name: string, viewQuery: string) {
  const path = `/models/${modelSlug}/features/${encodeURIComponent(target)}/${encodeURIComponent(name)}`;
  return viewQuery ? `${path}?${viewQuery}` : path;
}

type SortKey =
  | "status"
  | "name"
  | "jsDistance"
  | "psi"
  | "pValue"
  | "missingShare"
  | "unseenShare"
  | "outOfRangeShare";

function compareRows(a: DriftRow, b: DriftRow, key: SortKey): number {
  if (key === "status") {
    return (
      STATUS_SEVERITY[a.status] - STATUS_SEVERITY[b.status] ||
      (a.jsDistance ?? -1) - (b.jsDistance ?? -1)
    );
  }
  if (key === "name") return b.name.localeCompare(a.name);
  return (a[key] ?? -1) - (b[key] ?? -1);
}

function DriftTableView({ table }: { table: DriftTable }) {
  const { modelSlug, viewQuery } = useDashboard();
  const [sort, sortBy] = useSortState<SortKey>({ key: "status", direction: "desc" });
  const rows = [...table.rows].sort(
    (a, b) => compareRows(a, b, sort.key) * (sort.direction === "desc" ? -1 : 1),
  );
  const header = (key: SortKey, label: string, numeric = true) => (
    <SortableHeaderCell
      active={sort.key === key}
      direction={sort.direction}
      numeric={numeric}
      testId={`drift-sort-${key}`}
      onSort={() => sortBy(key)}
    >
      {label}
    </SortableHeaderCell>
  );
  return (
    <Table data-testid="drift-table">
      <TableHead>
        <TableRow>
          {header("name", "Feature", false)}
          {header("status", "Status", false)}
          {header("jsDistance", "JS")}
          {header("psi", "PSI")}
          {header("pValue", "χ² p")}
          {header("missingShare", "Missing")}
          {header("unseenShare", "Unseen")}
          {header("outOfRangeShare", "Out of range")}
          <TableHeaderCell numeric>Rows (ref / now)</TableHeaderCell>
        </TableRow>
      </TableHead>
      <tbody>
        {rows.map((row) => (
          <TableRow
            key={`${row.target}:${row.name}`}
            data-testid="drift-row"
            data-feature={row.name}
          >
            <TableCell>
              <Link
                href={featureHref(modelSlug, row.target, row.name, viewQuery)}
                className="font-mono text-xs text-ink hover:text-accent-strong hover:underline"
                data-testid="drift-feature-link"
              >
                {row.name}
              </Link>
              {row.target !== "feature" ? (
                <span className="ml-1.5 text-[10px] text-ink-faint">
                  {TARGET_LABELS[row.target]}
                </span>
              ) : null}
            </TableCell>
            <TableCell>
              <DriftStatusBadge status={row.status} testId="drift-status" />
            </TableCell>
            <TableCell numeric>{formatStatistic(row.jsDistance)}</TableCell>
            <TableCell numeric>{formatStatistic(row.psi)}</TableCell>
            <TableCell numeric>{formatPValue(row.pValue)}</TableCell>
            <TableCell numeric>
              {formatShare(row.missingShare)}
              <span className="ml-1 text-[10px] text-ink-faint">
                ref {formatShare(row.referenceMissingShare)}
              </span>
            </TableCell>
            <TableCell numeric>{formatShare(row.unseenShare)}</TableCell>
            <TableCell numeric>{formatShare(row.outOfRangeShare)}</TableCell>
            <TableCell numeric className="text-ink-muted">
              {formatInteger(row.referenceCount)} / {formatInteger(row.currentCount)}
            </TableCell>
          </TableRow>
        ))}
      </tbody>
    </Table>
  );
}

function ReferenceLine({ table }: { table: DriftTable }) {
  if (table.references.length === 0) return null;
  return (
    <p className="px-2 text-xs text-ink-muted" data-testid="drift-reference">
      Compared with{" "}
      {table.references.map((reference, index) => (
        <span key={reference.version}>
          {index > 0 ? "; " : ""}
          the reference of <span className="font-mono">v{reference.version}</span> (revision{" "}
          {reference.revision}, {formatInteger(reference.rows)} rows, built{" "}
          {formatDateTime(reference.builtAt)})
        </span>
      ))}
      .
      {table.versionsWithoutReference.length > 0
        ? ` No reference for ${table.versionsWithoutReference.map((v) => `v${v}`).join(", ")}: no drift for them.`
        : ""}
    </p>
  );
}

/** The monitors whose alerts the drift heat map marks. */
const DRIFT_METRICS = ["feature_drift", "dataset_drift", "prediction_drift"] as const;

export function DriftSection() {
  const trpc = useTRPC();
  const context = useDashboard();
  const behaviour = queryBehaviourOf(context);
  const tables = useQueries({
    queries: context.slices.map((slice) => ({
      ...trpc.drift.table.queryOptions(windowInputOf(context, slice.slice)),
      ...behaviour,
    })),
  });
  const heatmaps = useQueries({
    queries: context.slices.map((slice) => ({
      ...trpc.drift.heatmap.queryOptions(windowInputOf(context, slice.slice)),
      ...behaviour,
    })),
  });
  const markers = useAlertMarkers(heatmaps[0]?.data?.window, DRIFT_METRICS);
  return (
    <DashboardSection
      id="drift"
      title="Drift"
      description="Every profiled feature, the prediction and the score against each version's reference, from stored bin counts. JS distance (0 to 1) decides the status; a window too small to tell is “too few rows”."
      testId="drift-section"
    >
      <WhenLoaded
        queries={
          [...tables, ...heatmaps] as {
            data: DriftTable | DriftHeatmap | undefined;
            isError: boolean;
            error: { message: string } | null;
            refetch: () => unknown;
          }[]
        }
      >
        {() => {
          const first = tables[0]?.data;
          if (!first) return null;
          if (first.unavailable) {
            return (
              <p
                className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-[13px] text-ink-muted"
                data-testid="drift-unavailable"
              >
                {first.unavailable.message}
              </p>
            );
          }
          return (
            <div className="space-y-5">
              <ReferenceLine table={first} />
              {context.slices.map((slice, index) => {
                const heatmap = heatmaps[index]?.data;
                if (!heatmap || heatmap.unavailable) return null;
                return (
                  <div key={slice.key}>
                    {context.slices.length > 1 ? <ChartTitle>{slice.label}</ChartTitle> : null}
                    <DriftHeatMap
                      testId={index === 0 ? "drift-heatmap" : `drift-heatmap-${slice.key}`}
                      bucketStarts={heatmap.bucketStarts.map((t) => t.getTime())}
                      bucketMs={heatmap.window.bucketMs}
                      inProgressBucket={heatmap.window.inProgressBucket?.getTime() ?? null}
                      alertMarkers={markers}
                      rows={heatmap.rows.map((row) => ({
                        key: `${row.target}:${row.name}`,
                        label: row.name,
                        detail: row.target === "feature" ? undefined : TARGET_LABELS[row.target],
                        href: featureHref(
                          context.modelSlug,
                          row.target,
                          row.name,
                          context.viewQuery,
                        ),
                        cells: row.cells.map((cell) => ({
                          t: cell.bucketStart.getTime(),
                          status: cell.status,
                          jsDistance: cell.jsDistance,
                          count: cell.count,
                        })),
                      }))}
                    />
                  </div>
                );
              })}
              <div className={clsx("-mx-4 border-t border-line")}>
                <DriftTableView table={first} />
              </div>
            </div>
          );
        }}
      </WhenLoaded>
    </DashboardSection>
  );
}
