"use client";

import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceArea,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";

import { formatPercent } from "~/components/format/numbers";

import {
  AXIS_PROPS,
  CHART_HEIGHT,
  ChartEmpty,
  ChartLegend,
  ChartTooltipFrame,
  ChartTooltipRow,
} from "./chart-parts";
import { GRID_COLOR, REFERENCE_COLOR } from "./palette";
import { chooseTimeTicks, formatBucketSpan, formatTimeTick } from "./time-axis";
import { hasAnyValue, timeDomain, type TimeRow } from "./time-rows";

export interface ShareSeries {
  key: string;
  label: string;
  color: string;
}

type TooltipInput = Partial<Pick<TooltipContentProps, "active" | "payload">>;

function ShareTooltip({
  active,
  payload,
  bucketMs,
  series,
}: TooltipInput & { bucketMs: number; series: ShareSeries[] }) {
  const row = payload?.[0]?.payload as TimeRow | undefined;
  if (!active || !row) return null;
  const empty = series.every((s) => row[s.key] === null);
  return (
    <ChartTooltipFrame
      title={formatBucketSpan(row.t, bucketMs)}
      subtitle={row.inProgress ? "In progress: this bucket is still filling" : undefined}
    >
      {empty ? (
        <p className="text-ink-faint">No predictions</p>
      ) : (
        series
          .slice()
          .reverse()
          .map((s) => {
            const value = row[s.key];
            return (
              <ChartTooltipRow
                key={s.key}
                color={s.color}
                label={s.label}
                value={typeof value === "number" ? formatPercent(value) : "—"}
              />
            );
          })
      )}
    </ChartTooltipFrame>
  );
}

/**
 * Shares of a whole per bucket (class shares of a classifier), stacked to 100%. A bucket
 * without predictions is left blank; the bucket in progress is shaded.
 */
export function StackedShareChart({
  rows,
  bucketMs,
  series,
  height = CHART_HEIGHT,
  syncId,
  testId,
  emptyText = "No predictions in this window.",
}: {
  rows: TimeRow[];
  bucketMs: number;
  series: ShareSeries[];
  height?: number;
  syncId?: string;
  testId?: string;
  emptyText?: string;
}) {
  const keys = series.map((s) => s.key);
  if (!hasAnyValue(rows, keys)) {
    return (
      <div data-testid={testId} data-empty="true">
        <ChartEmpty height={height}>{emptyText}</ChartEmpty>
      </div>
    );
  }
  const live = rows.find((row) => row.inProgress);
  return (
    <div data-testid={testId} data-points={rows.length}>
      <ChartLegend
        items={series.map((s) => ({ label: s.label, color: s.color, band: true }))}
        inProgress={Boolean(live)}
      />
      <AreaChart data={rows} style={{ width: "100%", height }} responsive syncId={syncId}>
        <CartesianGrid vertical={false} stroke={GRID_COLOR} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={timeDomain(rows, bucketMs)}
          ticks={chooseTimeTicks(
            rows.map((row) => row.t),
            bucketMs,
          )}
          tickFormatter={(value: number) => formatTimeTick(value, bucketMs)}
          {...AXIS_PROPS}
        />
        <YAxis
          {...AXIS_PROPS}
          width={48}
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          tickFormatter={(value: number) => `${Math.round(value * 100)}%`}
        />
        <Tooltip
          content={<ShareTooltip bucketMs={bucketMs} series={series} />}
          cursor={{ stroke: REFERENCE_COLOR, strokeOpacity: 0.4 }}
        />
        {series.map((s) => (
          <Area
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="share"
            type="linear"
            stroke={s.color}
            fill={s.color}
            fillOpacity={0.55}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
        {live ? (
          <ReferenceArea
            x1={live.t - bucketMs / 2}
            x2={live.t + bucketMs / 2}
            fill="var(--color-surface)"
            fillOpacity={0.55}
            stroke={REFERENCE_COLOR}
            strokeDasharray="3 3"
            strokeOpacity={0.6}
            ifOverflow="extendDomain"
          />
        ) : null}
      </AreaChart>
    </div>
  );
}
