"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { useState } from "react";

import { formatInteger } from "~/components/format/numbers";

import { ChartTooltipFrame, ChartTooltipRow } from "./chart-parts";
import { MARKER_COLORS, type AlertMarker } from "./alert-markers";
import { alignHeatMapRows, countStatuses, type HeatMapRow } from "./heat-map-cells";
import { DRIFT_STATUSES, STATUS_COLORS, STATUS_LABELS } from "./palette";
import { chooseTimeTicks, formatBucketSpan, formatTimeTick } from "./time-axis";

const ROW_HEIGHT = 22;

/**
 * Features (rows) by time buckets (columns), each cell coloured by its drift status; the JS
 * distance and the sample size are in the tooltip. Drawn with plain elements, not SVG: a
 * few thousand cells stay cheap and every cell is reachable by a test.
 */
export function DriftHeatMap({
  rows,
  bucketStarts,
  bucketMs,
  inProgressBucket,
  testId = "drift-heatmap",
  alertMarkers = [],
}: {
  rows: HeatMapRow[];
  bucketStarts: number[];
  bucketMs: number;
  inProgressBucket: number | null;
  testId?: string;
  /** Alerts that fired in the window, as vertical lines across the grid. */
  alertMarkers?: readonly AlertMarker[];
}) {
  const [hover, setHover] = useState<{ row: number; cell: number } | null>(null);
  const aligned = alignHeatMapRows(rows, bucketStarts);
  const counts = countStatuses(aligned);
  const columns = bucketStarts.length;
  const ticks = new Set(chooseTimeTicks(bucketStarts, bucketMs, 6));
  const hovered = hover ? aligned[hover.row]?.cells[hover.cell] : undefined;
  const hoveredRow = hover ? aligned[hover.row] : undefined;

  return (
    <div data-testid={testId} data-rows={aligned.length} data-columns={columns}>
      <ul className="mb-3 flex flex-wrap items-center justify-end gap-x-4 gap-y-1 text-[11px] text-ink-muted">
        {DRIFT_STATUSES.filter((status) => status !== "no_data").map((status) => (
          <li key={status} className="flex items-center gap-1.5">
            <span
              aria-hidden
              className="inline-block size-2.5 rounded-[2px]"
              style={{ backgroundColor: STATUS_COLORS[status] }}
            />
            {STATUS_LABELS[status]}
            <span className="text-ink-faint tabular-nums">{counts[status]}</span>
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span
            aria-hidden
            className="inline-block size-2.5 rounded-[2px] border border-line"
            style={{ backgroundColor: STATUS_COLORS.empty }}
          />
          No data
        </li>
      </ul>
      <div className="grid grid-cols-[minmax(8rem,12rem)_minmax(0,1fr)] gap-x-3">
        <ul>
          {aligned.map((row) => (
            <li
              key={row.key}
              className="flex items-center gap-1.5 truncate text-xs"
              style={{ height: ROW_HEIGHT }}
            >
              {row.href ? (
                <Link
                  href={row.href}
                  className="truncate font-mono text-ink hover:text-accent-strong hover:underline"
                >
                  {row.label}
                </Link>
              ) : (
                <span className="truncate font-mono text-ink">{row.label}</span>
              )}
              {row.detail ? (
                <span className="shrink-0 text-[10px] text-ink-faint">{row.detail}</span>
              ) : null}
            </li>
          ))}
        </ul>
        <div className="relative min-w-0" onMouseLeave={() => setHover(null)}>
          <div
            role="grid"
            aria-label="Drift status per feature and time bucket"
            className="grid gap-px"
            style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
          >
            {aligned.map((row, rowIndex) =>
              row.cells.map((cell, cellIndex) => {
                const live = cell.t === inProgressBucket;
                return (
                  <div
                    key={`${row.key}:${cell.t}`}
                    role="gridcell"
                    data-testid="heatmap-cell"
                    data-status={cell.status ?? "empty"}
                    aria-label={`${row.label}, ${formatBucketSpan(cell.t, bucketMs)}: ${
                      cell.status ? STATUS_LABELS[cell.status] : "no data"
                    }`}
                    onMouseEnter={() => setHover({ row: rowIndex, cell: cellIndex })}
                    className={clsx(
                      "rounded-[2px]",
                      live &&
                        "opacity-50 outline-1 -outline-offset-1 outline-ink-faint outline-dashed",
                    )}
                    style={{
                      height: ROW_HEIGHT - 1,
                      backgroundColor: STATUS_COLORS[cell.status ?? "empty"],
                    }}
                  />
                );
              }),
            )}
          </div>
          {alertMarkers.map((marker) => {
            const start = bucketStarts[0];
            if (start === undefined) return null;
            const share = (marker.t - start) / (columns * bucketMs);
            if (share < 0 || share > 1) return null;
            return (
              <div
                key={marker.id}
                className="alert-marker pointer-events-none absolute top-0 w-0 border-l-[1.5px] border-dashed"
                style={{
                  left: `${share * 100}%`,
                  height: aligned.length * ROW_HEIGHT,
                  borderColor: MARKER_COLORS[marker.severity],
                }}
                title={marker.label}
                data-testid="heatmap-alert-marker"
              />
            );
          })}
          <div className="relative mt-1 h-4 text-[10px] text-ink-faint" aria-hidden>
            {bucketStarts.map((t, index) =>
              ticks.has(t) ? (
                <span
                  key={t}
                  className="absolute -translate-x-1/2 tabular-nums"
                  style={{ left: `${((index + 0.5) / columns) * 100}%` }}
                >
                  {formatTimeTick(t, bucketMs)}
                </span>
              ) : null,
            )}
          </div>
          {hover && hovered && hoveredRow ? (
            <div
              className={clsx(
                "pointer-events-none absolute z-10",
                // Near an edge the tooltip opens inwards instead of spilling out of the card.
                hover.cell > columns * 0.7
                  ? "-translate-x-full"
                  : hover.cell < columns * 0.3
                    ? ""
                    : "-translate-x-1/2",
              )}
              style={{
                left: `${((hover.cell + 0.5) / columns) * 100}%`,
                top: (hover.row + 1) * ROW_HEIGHT + 6,
              }}
              data-testid="heatmap-tooltip"
            >
              <ChartTooltipFrame
                title={hoveredRow.label}
                subtitle={`${formatBucketSpan(hovered.t, bucketMs)}${
                  hovered.t === inProgressBucket ? " · in progress" : ""
                }`}
              >
                <ChartTooltipRow
                  color={STATUS_COLORS[hovered.status ?? "empty"]}
                  label="Status"
                  value={hovered.status ? STATUS_LABELS[hovered.status] : "No data"}
                />
                <ChartTooltipRow
                  label="JS distance"
                  value={hovered.jsDistance === null ? "—" : hovered.jsDistance.toFixed(3)}
                />
                <ChartTooltipRow label="Rows" value={formatInteger(hovered.count)} />
              </ChartTooltipFrame>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
