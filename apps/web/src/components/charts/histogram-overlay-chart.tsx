"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
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
import { GRID_COLOR, REFERENCE_COLOR, seriesColor } from "./palette";
import { niceTicks } from "./value-axis";

export interface HistogramBin {
  label: string;
  /** Share of the reference in this bin (0..1); null when there is no reference to compare. */
  reference: number | null;
  /** Share of the current window in this bin (0..1), or null when the window is empty. */
  current: number | null;
  /** A second current window (a compared slice). */
  comparison?: number | null;
}

type TooltipInput = Partial<Pick<TooltipContentProps, "active" | "payload">>;

function BinTooltip({
  active,
  payload,
  currentLabel,
  comparisonLabel,
}: TooltipInput & { currentLabel: string; comparisonLabel?: string }) {
  const bin = payload?.[0]?.payload as HistogramBin | undefined;
  if (!active || !bin) return null;
  return (
    <ChartTooltipFrame title={bin.label}>
      {bin.reference === null ? null : (
        <ChartTooltipRow
          color={REFERENCE_COLOR}
          label="Reference"
          value={formatPercent(bin.reference)}
        />
      )}
      <ChartTooltipRow
        color={seriesColor(0)}
        label={currentLabel}
        value={bin.current === null ? "—" : formatPercent(bin.current)}
      />
      {comparisonLabel ? (
        <ChartTooltipRow
          color={seriesColor(1)}
          label={comparisonLabel}
          value={
            bin.comparison === null || bin.comparison === undefined
              ? "—"
              : formatPercent(bin.comparison)
          }
        />
      ) : null}
    </ChartTooltipFrame>
  );
}

/**
 * The reference and the current window on the profile's bins, overlaid: the reference as wide
 * grey bars, the current window as narrower coloured bars in front of them, so a shift shows
 * as coloured bars standing out of their grey outline.
 */
export function HistogramOverlayChart({
  bins,
  currentLabel = "Current",
  comparisonLabel,
  height = CHART_HEIGHT,
  testId = "histogram-overlay",
  emptyText = "This feature has no reference profile yet.",
}: {
  bins: HistogramBin[];
  currentLabel?: string;
  comparisonLabel?: string;
  height?: number;
  testId?: string;
  emptyText?: string;
}) {
  const hasReference = bins.some((bin) => bin.reference !== null);
  const ticks = niceTicks(
    Math.max(
      0,
      ...bins.flatMap((bin) => [bin.reference ?? 0, bin.current ?? 0, bin.comparison ?? 0]),
    ),
  );
  if (bins.length === 0) {
    return (
      <div data-testid={testId} data-empty="true">
        <ChartEmpty height={height}>{emptyText}</ChartEmpty>
      </div>
    );
  }
  return (
    <div data-testid={testId} data-bins={bins.length}>
      <ChartLegend
        items={[
          ...(hasReference ? [{ label: "Reference", color: REFERENCE_COLOR, band: true }] : []),
          { label: currentLabel, color: seriesColor(0), band: true },
          ...(comparisonLabel
            ? [{ label: comparisonLabel, color: seriesColor(1), band: true }]
            : []),
        ]}
      />
      <BarChart data={bins} style={{ width: "100%", height }} responsive barGap={2}>
        <CartesianGrid vertical={false} stroke={GRID_COLOR} />
        <XAxis
          dataKey="label"
          xAxisId="reference"
          {...AXIS_PROPS}
          interval={0}
          angle={-25}
          textAnchor="end"
          height={64}
          tick={{ ...AXIS_PROPS.tick, fontSize: 10 }}
        />
        <XAxis dataKey="label" xAxisId="current" hide />
        <YAxis
          {...AXIS_PROPS}
          width={48}
          domain={[0, ticks[ticks.length - 1] ?? 1]}
          ticks={ticks}
          tickFormatter={(value: number) => `${Number((value * 100).toPrecision(3))}%`}
        />
        <Tooltip
          content={<BinTooltip currentLabel={currentLabel} comparisonLabel={comparisonLabel} />}
          cursor={{ fill: REFERENCE_COLOR, fillOpacity: 0.08 }}
        />
        <Bar
          dataKey="reference"
          xAxisId="reference"
          fill={REFERENCE_COLOR}
          fillOpacity={0.3}
          isAnimationActive={false}
        />
        <Bar
          dataKey="current"
          xAxisId="current"
          fill={seriesColor(0)}
          fillOpacity={0.85}
          barSize={comparisonLabel ? 8 : 14}
          isAnimationActive={false}
        />
        {comparisonLabel ? (
          <Bar
            dataKey="comparison"
            xAxisId="current"
            fill={seriesColor(1)}
            fillOpacity={0.85}
            barSize={8}
            isAnimationActive={false}
          />
        ) : null}
      </BarChart>
    </div>
  );
}
