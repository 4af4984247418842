"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
  type TooltipContentProps,
} from "recharts";

import {
  AXIS_PROPS,
  CHART_HEIGHT,
  ChartEmpty,
  ChartLegend,
  ChartTooltipFrame,
  ChartTooltipRow,
} from "./chart-parts";
import { GRID_COLOR, REFERENCE_COLOR } from "./palette";
import { niceCeiling } from "./value-axis";
import { chooseTimeTicks, formatBucketSpan, formatTimeTick } from "./time-axis";
import {
  hasAnyValue,
  isolatedIndices,
  LIVE_SUFFIX,
  splitInProgress,
  timeDomain,
  type TimeRow,
} from "./time-rows";
import { alertMarkerLines, type AlertMarker } from "./alert-markers";

export interface LineSeries {
  key: string;
  label: string;
  color: string;
  /** Drawn dashed for the whole window (a second compared slice, a secondary statistic). */
  dashed?: boolean;
}

/** A shaded range between two values per bucket (p10–p90), keyed to a `[low, high]` value. */
export interface BandSeries {
  key: string;
  label: string;
  color: string;
}

export interface ThresholdLine {
  y: number;
  label: string;
}

type TooltipInput = Partial<Pick<TooltipContentProps, "active" | "payload" | "label">>;

function SeriesTooltip({
  active,
  payload,
  bucketMs,
  lines,
  bands,
  formatValue,
}: TooltipInput & {
  bucketMs: number;
  lines: LineSeries[];
  bands: BandSeries[];
  formatValue: (value: number) => string;
}) {
  const row = payload?.[0]?.payload as TimeRow | undefined;
  if (!active || !row) return null;
  const read = (key: string) => (row.inProgress ? row[`${key}${LIVE_SUFFIX}`] : row[key]) ?? null;
  return (
    <ChartTooltipFrame
      title={formatBucketSpan(row.t, bucketMs)}
      subtitle={row.inProgress ? "In progress: this bucket is still filling" : undefined}
    >
      {lines.map((line) => {
        const value = read(line.key);
        return (
          <ChartTooltipRow
            key={line.key}
            color={line.color}
            dashed={line.dashed}
            label={line.label}
            value={typeof value === "number" ? formatValue(value) : "no data"}
          />
        );
      })}
      {bands.map((band) => {
        const value = read(band.key);
        return (
          <ChartTooltipRow
            key={band.key}
            color={band.color}
            label={band.label}
            value={
              Array.isArray(value)
                ? `${formatValue(value[0])} – ${formatValue(value[1])}`
                : "no data"
            }
          />
        );
      })}
    </ChartTooltipFrame>
  );
}

/**
 * Values over time: lines, optional shaded bands (quantile ranges) and threshold lines. A
 * bucket without data is a gap; the bucket in progress is drawn dashed and shaded.
 */
export function TimeSeriesChart({
  rows,
  bucketMs,
  lines,
  bands = [],
  thresholds = [],
  yDomain,
  yMinTop,
  formatValue = (value) => value.toLocaleString("en-US"),
  formatAxis,
  height = CHART_HEIGHT,
  syncId,
  testId,
  emptyText = "No data in this window.",
  alertMarkers = [],
}: {
  rows: TimeRow[];
  bucketMs: number;
  lines: LineSeries[];
  bands?: BandSeries[];
  thresholds?: ThresholdLine[];
  yDomain?: [number | "auto", number | "auto"];
  /**
   * The least top of the value axis (0.05 for a share): a flat line of zeros then sits at the
   * bottom of a readable axis instead of an axis that invents 0 to 4.
   */
  yMinTop?: number;
  formatValue?: (value: number) => string;
  formatAxis?: (value: number) => string;
  height?: number;
  syncId?: string;
  testId?: string;
  emptyText?: string;
  /** Alerts that fired in the window, as vertical lines. */
  alertMarkers?: readonly AlertMarker[];
}) {
  const keys = [...lines.map((line) => line.key), ...bands.map((band) => band.key)];
  if (!hasAnyValue(rows, keys)) {
    return (
      <div data-testid={testId} data-empty="true">
        <ChartEmpty height={height}>{emptyText}</ChartEmpty>
      </div>
    );
  }
  const data = splitInProgress(rows, keys);
  const live = rows.find((row) => row.inProgress);
  const ticks = chooseTimeTicks(
    rows.map((row) => row.t),
    bucketMs,
  );
  return (
    <div data-testid={testId} data-points={rows.length} data-alert-markers={alertMarkers.length}>
      <ChartLegend
        items={[
          ...bands.map((band) => ({ label: band.label, color: band.color, band: true })),
          ...lines.map((line) => ({ label: line.label, color: line.color, dashed: line.dashed })),
        ]}
        inProgress={Boolean(live)}
      />
      <ComposedChart data={data} style={{ width: "100%", height }} responsive syncId={syncId}>
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
          domain={
            yMinTop === undefined
              ? (yDomain ?? ["auto", "auto"])
              : [yDomain?.[0] ?? 0, (dataMax: number) => niceCeiling(Math.max(dataMax, yMinTop))]
          }
          tickFormatter={formatAxis ?? formatValue}
        />
        {live ? (
          <ReferenceArea
            x1={live.t - bucketMs / 2}
            x2={live.t + bucketMs / 2}
            fill={REFERENCE_COLOR}
            fillOpacity={0.08}
            ifOverflow="extendDomain"
          />
        ) : null}
        {alertMarkerLines(alertMarkers)}
        {thresholds.map((threshold) => (
          <ReferenceLine
            key={threshold.label}
            y={threshold.y}
            stroke={REFERENCE_COLOR}
            strokeDasharray="4 3"
            label={{
              value: threshold.label,
              position: "insideTopRight",
              fontSize: 10,
              fill: REFERENCE_COLOR,
            }}
          />
        ))}
        <Tooltip
          content={
            <SeriesTooltip
              bucketMs={bucketMs}
              lines={lines}
              bands={bands}
              formatValue={formatValue}
            />
          }
          cursor={{ stroke: REFERENCE_COLOR, strokeOpacity: 0.4 }}
        />
        {bands.flatMap((band) => [
          <Area
            key={band.key}
            dataKey={band.key}
            stroke="none"
            fill={band.color}
            fillOpacity={0.18}
            connectNulls={false}
            isAnimationActive={false}
            activeDot={false}
          />,
          <Area
            key={`${band.key}${LIVE_SUFFIX}`}
            dataKey={`${band.key}${LIVE_SUFFIX}`}
            stroke="none"
            fill={band.color}
            fillOpacity={0.08}
            connectNulls={false}
            isAnimationActive={false}
            activeDot={false}
            legendType="none"
          />,
        ])}
        {lines.flatMap((line) => {
          const isolated = isolatedIndices(data, line.key);
          return [
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.label}
              type="linear"
              stroke={line.color}
              strokeWidth={2}
              strokeDasharray={line.dashed ? "6 3" : undefined}
              dot={(props: DotItemDotProps) =>
                isolated.has(props.index) ? (
                  <circle key={props.index} cx={props.cx} cy={props.cy} r={2.5} fill={line.color} />
                ) : null
              }
              activeDot={{ r: 3.5, strokeWidth: 0 }}
              connectNulls={false}
              isAnimationActive={false}
            />,
            <Line
              key={`${line.key}${LIVE_SUFFIX}`}
              dataKey={`${line.key}${LIVE_SUFFIX}`}
              type="linear"
              stroke={line.color}
              strokeOpacity={0.55}
              strokeWidth={2}
              strokeDasharray="3 3"
              dot={false}
              activeDot={false}
              connectNulls={false}
              isAnimationActive={false}
              legendType="none"
            />,
          ];
        })}
      </ComposedChart>
    </div>
  );
}
