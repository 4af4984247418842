"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";

import { formatCompact, formatInteger, formatScore } from "~/components/format/numbers";

import { CANARY_COLOR, type ChartRow, type VersionSeries } from "./chart-series";

const minuteLabel = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const formatMinute = (value: unknown) => minuteLabel.format(Number(value));

const axisProps = {
  stroke: "#a1a1aa",
  tick: { fontSize: 11, fill: "#8b8b94" },
  tickLine: false,
  axisLine: false,
} as const;

const CHART_STYLE = { width: "100%", height: 240 } as const;

/** Every tenth minute, aligned to the clock, so the axis reads 14:10, 14:20, ... */
function clockTicks(rows: ChartRow[]): number[] {
  return rows.filter((row) => new Date(row.t).getMinutes() % 10 === 0).map((row) => row.t);
}

function TooltipFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="min-w-44 rounded-lg border border-line bg-surface px-3 py-2 text-xs shadow-pop">
      <div className="mb-1.5 font-medium text-ink tabular-nums">{title}</div>
      <div className="space-y-1">{children}</div>
    </div>
  );
}

function TooltipRow({ color, label, value }: { color: string; label: string; value: string }) {
  return (
    <div className="flex items-center justify-between gap-4">
      <span className="flex items-center gap-1.5 text-ink-muted">
        <span className="size-2 rounded-sm" style={{ backgroundColor: color }} />
        {label}
      </span>
      <span className="font-medium text-ink tabular-nums">{value}</span>
    </div>
  );
}

type TooltipInput = Partial<Pick<TooltipContentProps, "active" | "payload" | "label">>;

function VolumeTooltip({
  active,
  payload,
  label,
  series,
  canaryLine,
}: TooltipInput & { series: VersionSeries[]; canaryLine: boolean }) {
  const row = payload?.[0]?.payload as ChartRow | undefined;
  if (!active || !row) return null;
  return (
    <TooltipFrame title={formatMinute(label)}>
      {series
        .slice()
        .reverse()
        .map((s) => (
          <TooltipRow
            key={s.key}
            color={s.color}
            label={`v${s.version}${s.canary ? " · canary" : ""}`}
            value={formatInteger(row[s.key] ?? 0)}
          />
        ))}
      {canaryLine ? (
        <TooltipRow color={CANARY_COLOR} label="canary" value={formatInteger(row.canary)} />
      ) : null}
      <div className="mt-1 flex justify-between border-t border-line pt-1 text-ink">
        <span>Total</span>
        <span className="font-medium tabular-nums">{formatInteger(row.total)}</span>
      </div>
    </TooltipFrame>
  );
}

export function VolumeChart({
  rows,
  series,
  canaryLine,
}: {
  rows: ChartRow[];
  series: VersionSeries[];
  canaryLine: boolean;
}) {
  return (
    <ComposedChart
      data={rows}
      style={CHART_STYLE}
      responsive
      syncId="live-metrics"
      barCategoryGap={1}
    >
      <CartesianGrid vertical={false} stroke="#f0f0f2" />
      <XAxis dataKey="t" {...axisProps} ticks={clockTicks(rows)} tickFormatter={formatMinute} />
      <YAxis
        {...axisProps}
        width={44}
        allowDecimals={false}
        tickFormatter={(value: number) => formatCompact(value)}
      />
      <Tooltip
        content={<VolumeTooltip series={series} canaryLine={canaryLine} />}
        cursor={{ fill: "#18181b", fillOpacity: 0.04 }}
      />
      <Legend
        verticalAlign="top"
        align="right"
        height={28}
        iconType="circle"
        iconSize={8}
        wrapperStyle={{ fontSize: 12, color: "#52525b" }}
      />
      {series.map((s, index) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={`v${s.version}${s.canary ? " (canary)" : ""}`}
          stackId="volume"
          fill={s.color}
          isAnimationActive={false}
          radius={index === series.length - 1 ? [2, 2, 0, 0] : 0}
        />
      ))}
      {canaryLine ? (
        <Line
          dataKey="canary"
          name="canary traffic"
          type="monotone"
          stroke={CANARY_COLOR}
          strokeWidth={1.5}
          strokeDasharray="4 3"
          dot={false}
          isAnimationActive={false}
        />
      ) : null}
    </ComposedChart>
  );
}

function ConfidenceTooltip({ active, payload, label }: TooltipInput) {
  const row = payload?.[0]?.payload as ChartRow | undefined;
  if (!active || !row) return null;
  return (
    <TooltipFrame title={formatMinute(label)}>
      <TooltipRow color="#6366f1" label="Mean confidence" value={formatScore(row.meanScore)} />
      <TooltipRow color="#d4d4d8" label="Predictions" value={formatInteger(row.total)} />
    </TooltipFrame>
  );
}

export function ConfidenceChart({ rows }: { rows: ChartRow[] }) {
  return (
    <LineChart data={rows} style={CHART_STYLE} responsive syncId="live-metrics">
      <CartesianGrid vertical={false} stroke="#f0f0f2" />
      <XAxis dataKey="t" {...axisProps} ticks={clockTicks(rows)} tickFormatter={formatMinute} />
      <YAxis
        {...axisProps}
        width={44}
        domain={[0, 1]}
        ticks={[0, 0.25, 0.5, 0.75, 1]}
        tickFormatter={(value: number) => value.toFixed(2)}
      />
      <ReferenceLine y={0.5} stroke="#e4e4e7" strokeDasharray="3 3" />
      <Tooltip content={<ConfidenceTooltip />} cursor={{ stroke: "#d4d4d8" }} />
      <Line
        dataKey="meanScore"
        name="Mean confidence"
        type="monotone"
        stroke="#6366f1"
        strokeWidth={2}
        dot={false}
        activeDot={{ r: 3.5, strokeWidth: 0 }}
        connectNulls={false}
        isAnimationActive={false}
      />
    </LineChart>
  );
}
