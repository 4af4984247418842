"use client";

import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";

import { formatInteger, formatScore } from "~/components/format/numbers";

import {
  AXIS_PROPS,
  ChartEmpty,
  ChartLegend,
  ChartTooltipFrame,
  ChartTooltipRow,
} from "./chart-parts";
import { GRID_COLOR, REFERENCE_COLOR, seriesColor } from "./palette";

export interface ReliabilityBin {
  /** The score bin, [lower, upper). */
  lower: number;
  upper: number;
  /** Mean predicted probability in the bin (or its midpoint when unknown). */
  predicted: number;
  /** Share of positives among the bin's labelled predictions; null when none is labelled. */
  observed: number | null;
  count: number;
}

export interface ReliabilitySeries {
  key: string;
  label: string;
  bins: ReliabilityBin[];
}

interface ReliabilityPoint {
  x: number;
  [seriesKey: string]: number | null;
}

/** One row per distinct predicted value, each series' observed share as a column. */
export function toReliabilityPoints(series: readonly ReliabilitySeries[]): ReliabilityPoint[] {
  const byX = new Map<number, ReliabilityPoint>();
  for (const s of series) {
    for (const bin of s.bins) {
      if (bin.count === 0) continue;
      const point = byX.get(bin.predicted) ?? { x: bin.predicted };
      point[s.key] = bin.observed;
      point[`${s.key}:count`] = bin.count;
      byX.set(bin.predicted, point);
    }
  }
  return [...byX.values()].sort((a, b) => a.x - b.x);
}

type TooltipInput = Partial<Pick<TooltipContentProps, "active" | "payload">>;

function ReliabilityTooltip({
  active,
  payload,
  series,
}: TooltipInput & { series: ReliabilitySeries[] }) {
  const point = payload?.[0]?.payload as ReliabilityPoint | undefined;
  if (!active || !point) return null;
  return (
    <ChartTooltipFrame title={`Predicted ≈ ${formatScore(point.x)}`}>
      {series.map((s, index) => {
        const observed = point[s.key];
        const count = point[`${s.key}:count`];
        return (
          <ChartTooltipRow
            key={s.key}
            color={seriesColor(index)}
            label={`${s.label} observed`}
            value={`${typeof observed === "number" ? formatScore(observed) : "—"} (${formatInteger(
              typeof count === "number" ? count : 0,
            )} labelled)`}
          />
        );
      })}
    </ChartTooltipFrame>
  );
}

/**
 * Calibration: for each score bin, the share of positives actually observed against the mean
 * predicted probability. A calibrated model sits on the diagonal; points under it are
 * over-confident.
 */
export function ReliabilityDiagram({
  series,
  height = 260,
  testId = "reliability-diagram",
}: {
  series: ReliabilitySeries[];
  height?: number;
  testId?: string;
}) {
  const points = toReliabilityPoints(series);
  if (points.length === 0) {
    return (
      <div data-testid={testId} data-empty="true">
        <ChartEmpty height={height}>No labelled predictions with scores in this window.</ChartEmpty>
      </div>
    );
  }
  return (
    <div data-testid={testId} data-points={points.length}>
      <ChartLegend
        items={[
          { label: "Perfect calibration", color: REFERENCE_COLOR, dashed: true },
          ...series.map((s, index) => ({ label: s.label, color: seriesColor(index) })),
        ]}
      />
      <ComposedChart data={points} style={{ width: "100%", height }} responsive>
        <CartesianGrid stroke={GRID_COLOR} />
        <XAxis
          dataKey="x"
          type="number"
          domain={[0, 1]}
          ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
          {...AXIS_PROPS}
          label={{
            value: "Predicted probability",
            position: "insideBottom",
            offset: -2,
            fontSize: 11,
          }}
        />
        <YAxis {...AXIS_PROPS} width={48} domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={REFERENCE_COLOR}
          strokeDasharray="4 3"
        />
        <Tooltip content={<ReliabilityTooltip series={series} />} />
        {series.map((s, index) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            type="linear"
            stroke={seriesColor(index)}
            strokeWidth={2}
            dot={{ r: 3, strokeWidth: 0, fill: seriesColor(index) }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </ComposedChart>
    </div>
  );
}
