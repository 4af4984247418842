import { DRIFT_STATUSES, type DriftStatus } from "@plumbline/drift";

/**
 * Chart colours, as CSS variables defined in globals.css (light and dark values): the Okabe-Ito
 * palette, which stays distinguishable for every common colour-vision deficiency. SVG
 * attributes accept `var(...)`, so a chart follows the theme without re-rendering.
 */
export const SERIES_COLORS = [
  "var(--color-chart-1)",
  "var(--color-chart-2)",
  "var(--color-chart-3)",
  "var(--color-chart-4)",
  "var(--color-chart-5)",
  "var(--color-chart-6)",
  "var(--color-chart-7)",
] as const;

export const GRID_COLOR = "var(--color-chart-grid)";
export const AXIS_COLOR = "var(--color-chart-axis)";
/** Reference data (a baseline, a threshold) is drawn in the neutral ink colour. */
export const REFERENCE_COLOR = "var(--color-ink-faint)";

/** The colour of the `index`-th series; the palette repeats past seven series. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? SERIES_COLORS[0];
}

/** The statuses of `@plumbline/drift`, in the order a legend lists them. */
export { DRIFT_STATUSES, type DriftStatus };

export const STATUS_COLORS: Record<DriftStatus | "empty", string> = {
  ok: "var(--color-status-ok)",
  warn: "var(--color-status-warn)",
  alert: "var(--color-status-alert)",
  inconclusive: "var(--color-status-inconclusive)",
  no_data: "var(--color-status-empty)",
  empty: "var(--color-status-empty)",
};

export const STATUS_LABELS: Record<DriftStatus, string> = {
  ok: "No drift",
  warn: "Warning",
  alert: "Drift",
  inconclusive: "Too few rows",
  no_data: "No data",
};

/** Worst first: the order a ranked table and a legend use. */
export const STATUS_SEVERITY: Record<DriftStatus, number> = {
  alert: 4,
  warn: 3,
  inconclusive: 2,
  ok: 1,
  no_data: 0,
};
