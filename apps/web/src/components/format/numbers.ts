const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatInteger(value: number): string {
  return integer.format(value);
}

export function formatCompact(value: number): string {
  return value < 10_000 ? integer.format(value) : compact.format(value);
}

/** A confidence in 0..1 shown with two decimals ("0.82"), or an em dash when unknown. */
export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toFixed(2);
}

export function formatPercent(value: number): string {
  if (value === 0) return "0%";
  if (value < 0.001) return "<0.1%";
  return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
}

const TASK_LABELS: Record<string, string> = {
  binary_classification: "Binary classification",
  multiclass_classification: "Multiclass classification",
  regression: "Regression",
  ranking: "Ranking",
  other: "Other",
};

export function formatTask(task: string): string {
  return TASK_LABELS[task] ?? task;
}

/** A latency in milliseconds: "8 ms", "240 ms", "1.3 s"; an em dash when unknown. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms === 0) return "0 ms";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A share in 0..1 with one decimal below 10%, or an em dash when unknown. */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : formatPercent(value);
}

/**
 * A statistic with three significant digits ("0.0412", "12.3", "1,240"), for distances and
 * errors whose scale is not known in advance.
 */
export function formatStatistic(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return integer.format(value);
  return Number(value.toPrecision(3)).toString();
}

/** A p-value: "< 0.001" below a thousandth, three digits otherwise. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return value < 0.001 ? "< 0.001" : value.toFixed(3);
}
