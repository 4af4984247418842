import type { ReactNode } from "react";

import { AXIS_COLOR } from "./palette";

/** Axis styling every chart shares: small muted ticks, no axis line, no tick marks. */
export const AXIS_PROPS = {
  stroke: AXIS_COLOR,
  tick: { fontSize: 11, fill: AXIS_COLOR },
  tickLine: false,
  axisLine: false,
} as const;

export const CHART_HEIGHT = 220;

export function ChartTooltipFrame({
  title,
  subtitle,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="min-w-48 rounded-lg border border-line bg-surface px-3 py-2 text-xs shadow-pop">
      <div className="font-medium text-ink tabular-nums">{title}</div>
      {subtitle ? <div className="text-[11px] text-ink-faint">{subtitle}</div> : null}
      <div className="mt-1.5 space-y-1">{children}</div>
    </div>
  );
}

export function ChartTooltipRow({
  color,
  label,
  value,
  dashed = false,
}: {
  color?: string;
  label: ReactNode;
  value: ReactNode;
  dashed?: boolean;
}) {
  return (
    <div className="flex items-center justify-between gap-4">
      <span className="flex items-center gap-1.5 text-ink-muted">
        {color ? (
          <span
            className="h-2 w-2.5 shrink-0 rounded-[2px]"
            style={
              dashed
                ? { border: `1.5px dashed ${color}` }
                : { backgroundColor: color, opacity: 0.9 }
            }
          />
        ) : null}
        {label}
      </span>
      <span className="font-medium text-ink tabular-nums">{value}</span>
    </div>
  );
}

export interface LegendItem {
  label: string;
  color: string;
  dashed?: boolean;
  /** A band (filled, translucent) rather than a line. */
  band?: boolean;
}

/** A legend above the plot, in HTML so it wraps and reads like text. */
export function ChartLegend({ items, inProgress }: { items: LegendItem[]; inProgress?: boolean }) {
  return (
    <ul className="mb-2 flex flex-wrap items-center justify-end gap-x-4 gap-y-1 px-2 text-[11px] text-ink-muted">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1.5">
          <span
            aria-hidden
            className="inline-block w-3.5"
            style={
              item.band
                ? { height: 8, backgroundColor: item.color, opacity: 0.25, borderRadius: 2 }
                : {
                    height: 0,
                    borderTop: `2px ${item.dashed ? "dashed" : "solid"} ${item.color}`,
                  }
            }
          />
          {item.label}
        </li>
      ))}
      {inProgress ? (
        <li className="flex items-center gap-1.5">
          <span
            aria-hidden
            className="inline-block h-0 w-3.5 border-t-2 border-dashed border-ink-faint"
          />
          in progress
        </li>
      ) : null}
    </ul>
  );
}

/** What a chart shows when its window holds no data at all. */
export function ChartEmpty({ height, children }: { height: number; children: ReactNode }) {
  return (
    <div
      className="grid place-items-center rounded-lg border border-dashed border-line text-xs text-ink-faint"
      style={{ height }}
    >
      <p className="max-w-xs text-center">{children}</p>
    </div>
  );
}
