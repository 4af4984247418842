import type { RouterOutputs } from "@plumbline/api";

type LiveMetrics = RouterOutputs["models"]["liveMetrics"];

export interface ChartRow {
  /** Minute start, epoch milliseconds. */
  t: number;
  total: number;
  meanScore: number | null;
  canary: number;
  errors: number;
  [versionKey: `v:${string}`]: number;
}

export interface VersionSeries {
  version: string;
  key: `v:${string}`;
  color: string;
  canary: boolean;
}

/** Calm, distinguishable blues and teals for stable versions; amber is kept for the canary. */
const STABLE_COLORS = ["#6366f1", "#a5b4fc", "#0ea5e9", "#14b8a6", "#8b5cf6", "#64748b"];
export const CANARY_COLOR = "#f59e0b";

export function toChartRows(data: LiveMetrics): ChartRow[] {
  return data.points.map((point) => {
    const row: ChartRow = {
      t: point.minute.getTime(),
      total: point.count,
      meanScore: point.meanScore,
      canary: point.canaryCount,
      errors: point.errorCount,
    };
    for (const version of data.versions) row[`v:${version}`] = point.countByVersion[version] ?? 0;
    return row;
  });
}

/**
 * The version that served exactly the canary traffic in every minute, if there is one. The
 * metrics report canary volume per minute, not per version; when one version's counts match it
 * minute by minute, that version is the canary and its bars are drawn in amber.
 */
export function findCanaryVersion(data: LiveMetrics): string | null {
  const totalCanary = data.points.reduce((sum, point) => sum + point.canaryCount, 0);
  if (totalCanary === 0) return null;
  const matches = data.versions.filter((version) =>
    data.points.every((point) => (point.countByVersion[version] ?? 0) === point.canaryCount),
  );
  return matches.length === 1 ? (matches[0] ?? null) : null;
}

export function versionSeries(data: LiveMetrics): VersionSeries[] {
  const canaryVersion = findCanaryVersion(data);
  let stableIndex = 0;
  return data.versions.map((version) => {
    const canary = version === canaryVersion;
    const color = canary
      ? CANARY_COLOR
      : (STABLE_COLORS[stableIndex++ % STABLE_COLORS.length] ?? "#6366f1");
    return { version, key: `v:${version}`, color, canary };
  });
}

/** True when canary traffic exists but cannot be pinned on one version (drawn as a line). */
export function hasUnattributedCanary(data: LiveMetrics, series: VersionSeries[]): boolean {
  return !series.some((s) => s.canary) && data.points.some((point) => point.canaryCount > 0);
}
