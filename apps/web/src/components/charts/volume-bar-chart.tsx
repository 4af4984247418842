"use client";

import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";

import { formatCompact, formatInteger } from "~/components/format/numbers";

import {
  AXIS_PROPS,
  CHART_HEIGHT,
  ChartEmpty,
  ChartLegend,
  ChartTooltipFrame,
  ChartTooltipRow,
} from "./chart-parts";
import { alertMarkerLines, type AlertMarker } from "./alert-markers";
import { GRID_COLOR, REFERENCE_COLOR } from "./palette";
import { chooseTimeTicks, formatBucketSpan, formatTimeTick } from "./time-axis";
import { hasAnyValue, timeDomain, type TimeRow } from "./time-rows";

export interface BarSeries {
  key: string;
  label: string;
  color: string;
}

type TooltipInput = Partial<Pick<TooltipContentProps, "active" | "payload">>;

function VolumeTooltip({
  active,
  payload,
  bucketMs,
  series,
  stacked,
  unit,
}: TooltipInput & { bucketMs: number; series: BarSeries[]; stacked: boolean; unit: string }) {
  const row = payload?.[0]?.payload as TimeRow | undefined;
  if (!active || !row) return null;
  const values = series.map((s) => row[s.key]);
  const total = values.reduce<number>(
    (sum, value) => sum + (typeof value === "number" ? value : 0),
    0,
  );
  const empty = values.every((value) => value === null || value === undefined);
  return (
    <ChartTooltipFrame
      title={formatBucketSpan(row.t, bucketMs)}
      subtitle={row.inProgress ? "In progress: this bucket is still filling" : undefined}
    >
      {empty ? <p className="text-ink-faint">No data received</p> : null}
      {empty
        ? null
        : series
            .slice()
            .reverse()
            .map((s) => {
              const value = row[s.key];
              return (
                <ChartTooltipRow
                  key={s.key}
                  color={s.color}
                  label={s.label}
                  value={typeof value === "number" ? formatInteger(value) : "—"}
                />
              );
            })}
      {stacked && series.length > 1 && !empty ? (
        <div className="mt-1 flex justify-between border-t border-line pt-1 text-ink">
          <span>Total</span>
          <span className="font-medium tabular-nums">
            {formatInteger(total)} {unit}
          </span>
        </div>
      ) : null}
    </ChartTooltipFrame>
  );
}

/**
 * Counts per bucket as bars, stacked by series (versions) or side by side (a comparison). The
 * bucket in progress is drawn faded, so a half-filled minute does not read as a drop.
 */
export function VolumeBarChart({
  rows,
  bucketMs,
  series,
  stacked = true,
  unit = "predictions",
  height = CHART_HEIGHT,
  syncId,
  testId,
  emptyText = "No predictions in this window.",
  alertMarkers = [],
}: {
  rows: TimeRow[];
  bucketMs: number;
  series: BarSeries[];
  stacked?: boolean;
  unit?: string;
  height?: number;
  syncId?: string;
  testId?: string;
  emptyText?: string;
  /** Alerts that fired in the window, as vertical lines. */
  alertMarkers?: readonly AlertMarker[];
}) {
  const keys = series.map((s) => s.key);
  if (!hasAnyValue(rows, keys)) {
    return (
      <div data-testid={testId} data-empty="true">
        <ChartEmpty height={height}>{emptyText}</ChartEmpty>
      </div>
    );
  }
  const ticks = chooseTimeTicks(
    rows.map((row) => row.t),
    bucketMs,
  );
  const hasLive = rows.some((row) => row.inProgress);
  return (
    <div data-testid={testId} data-points={rows.length} data-alert-markers={alertMarkers.length}>
      <ChartLegend
        items={series.map((s) => ({ label: s.label, color: s.color, band: true }))}
        inProgress={hasLive}
      />
      <ComposedChart
        data={rows}
        style={{ width: "100%", height }}
        responsive
        syncId={syncId}
        barCategoryGap="12%"
      >
        <CartesianGrid vertical={false} stroke={GRID_COLOR} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={timeDomain(rows, bucketMs)}
          ticks={ticks}
          tickFormatter={(value: number) => formatTimeTick(value, bucketMs)}
          {...AXIS_PROPS}
        />
        <YAxis
          {...AXIS_PROPS}
          width={48}
          allowDecimals={false}
          tickFormatter={(value: number) => formatCompact(value)}
        />
        {alertMarkerLines(alertMarkers)}
        <Tooltip
          content={
            <VolumeTooltip bucketMs={bucketMs} series={series} stacked={stacked} unit={unit} />
          }
          cursor={{ fill: REFERENCE_COLOR, fillOpacity: 0.08 }}
        />
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId={stacked ? "volume" : undefined}
            fill={s.color}
            isAnimationActive={false}
          >
            {rows.map((row) => (
              <Cell
                key={row.t}
                fillOpacity={row.inProgress ? 0.35 : 0.9}
                stroke={row.inProgress ? s.color : undefined}
                strokeDasharray={row.inProgress ? "2 2" : undefined}
              />
            ))}
          </Bar>
        ))}
      </ComposedChart>
    </div>
  );
}
