"use client";

import { CartesianGrid, ComposedChart, Line, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";

import type { RouterOutputs } from "@plumbline/api";

import { AXIS_PROPS, ChartEmpty } from "~/components/charts/chart-parts";
import { GRID_COLOR, seriesColor } from "~/components/charts/palette";
import { chooseTimeTicks, formatTimeTick } from "~/components/charts/time-axis";

const dayTick = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric" });
const TWO_DAYS_MS = 2 * 24 * 60 * 60 * 1000;
import { formatDateTime } from "~/components/format/time";

type Preview = RouterOutputs["monitors"]["preview"];

/** The worst numeric `value` among a bucket's readings (one per feature or the whole model). */
function worstValue(readings: Record<string, unknown>[]): number | null {
  let worst: number | null = null;
  for (const reading of readings) {
    const value = reading.value;
    if (typeof value === "number" && Number.isFinite(value)) {
      worst = worst === null ? value : Math.max(worst, value);
    }
  }
  return worst;
}

/**
 * The replay of a monitor over the last 7 days: its measured value per bucket and, shaded, the
 * periods it would have been firing (red for critical, amber for warning).
 */
export function PreviewChart({ preview }: { preview: Preview }) {
  const rows = preview.buckets.map((bucket) => ({
    t: new Date(bucket.bucketEnd).getTime(),
    value: worstValue(bucket.readings),
    outcome: bucket.outcome,
  }));
  const last = rows.at(-1)?.t ?? 0;
  const bucketMs = rows.length > 1 ? rows[1]!.t - rows[0]!.t : 60 * 60 * 1000;
  const firings = preview.firings.map((firing) => ({
    ...firing,
    from: new Date(firing.firedAt).getTime(),
    to: firing.resolvedAt ? new Date(firing.resolvedAt).getTime() : last,
  }));
  return (
    <div data-testid="monitor-preview" data-firings={preview.firings.length}>
      <p className="mb-2 text-[13px] text-ink" data-testid="monitor-preview-summary">
        {preview.firings.length === 0
          ? `Over the last 7 days (${rows.length} buckets) it would not have fired.`
          : `Over the last 7 days it would have fired ${preview.firings.length} ${
              preview.firings.length === 1 ? "time" : "times"
            }.`}
      </p>
      {rows.length === 0 ? (
        <ChartEmpty height={200}>No rollups in the last 7 days to replay.</ChartEmpty>
      ) : (
        <ComposedChart data={rows} style={{ width: "100%", height: 220 }} responsive>
          <CartesianGrid vertical={false} stroke={GRID_COLOR} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            ticks={chooseTimeTicks(
              rows.map((row) => row.t),
              bucketMs,
            )}
            tickFormatter={(value: number) =>
              last - (rows[0]?.t ?? last) > TWO_DAYS_MS
                ? dayTick.format(value)
                : formatTimeTick(value, bucketMs)
            }
            {...AXIS_PROPS}
          />
          <YAxis {...AXIS_PROPS} width={48} />
          {firings.map((firing) => (
            <ReferenceArea
              key={`${firing.target}-${firing.from}`}
              x1={firing.from}
              x2={Math.max(firing.to, firing.from + 1)}
              fill={firing.severity === "critical" ? "#dc2626" : "#d97706"}
              fillOpacity={0.16}
              ifOverflow="extendDomain"
              className="preview-firing"
            />
          ))}
          <Tooltip
            labelFormatter={(value) => formatDateTime(new Date(Number(value)))}
            formatter={(value) => [typeof value === "number" ? value.toPrecision(3) : "—", "value"]}
          />
          <Line
            dataKey="value"
            type="linear"
            stroke={seriesColor(0)}
            strokeWidth={1.5}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      )}
      {firings.length > 0 ? (
        <ul className="mt-2 space-y-1 text-xs text-ink-muted" data-testid="monitor-preview-firings">
          {firings.map((firing) => (
            <li key={`${firing.target}-${firing.from}`}>
              <span className={firing.severity === "critical" ? "text-red-700" : "text-amber-700"}>
                {firing.severity}
              </span>{" "}
              {firing.target}: {formatDateTime(firing.firedAt)} –{" "}
              {firing.resolvedAt ? formatDateTime(firing.resolvedAt) : "still firing"}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
