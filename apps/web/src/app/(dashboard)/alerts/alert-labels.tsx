import type {
  AlertResolution,
  AlertState,
  MonitorMetric,
  MonitorThreshold,
  Severity,
} from "@plumbline/contracts";

import { Badge, type BadgeTone } from "~/components/ui/badge";

/** How alerts, their states and their monitors' thresholds read for people. */

export const SEVERITY_LABELS: Record<Severity, string> = {
  warning: "Warning",
  critical: "Critical",
};

export const STATE_LABELS: Record<AlertState, string> = {
  pending: "Pending",
  firing: "Firing",
  acknowledged: "Acknowledged",
  snoozed: "Snoozed",
  resolved: "Resolved",
};

const STATE_TONES: Record<AlertState, BadgeTone> = {
  pending: "neutral",
  firing: "danger",
  acknowledged: "accent",
  snoozed: "neutral",
  resolved: "success",
};

export const RESOLUTION_LABELS: Record<AlertResolution, string> = {
  healthy: "healthy again",
  manual: "by hand",
  false_alarm: "false alarm",
  cleared: "cleared before firing",
};

export const METRIC_LABELS: Record<MonitorMetric, string> = {
  traffic_volume: "Traffic volume",
  no_data: "No data",
  ingest_health: "Ingest health",
  latency: "Latency",
  error_rate: "Error rate",
  missing_values: "Missing values",
  type_mismatch: "Type mismatch",
  out_of_range: "Out of range",
  unseen_categories: "Unseen categories",
  feature_drift: "Feature drift",
  dataset_drift: "Dataset drift",
  prediction_drift: "Prediction drift",
  confidence: "Confidence",
  realized_performance: "Realized performance",
  label_coverage: "Label coverage",
  canary_vs_stable: "Canary vs stable",
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge
      tone={severity === "critical" ? "danger" : "canary"}
      data-testid="severity-badge"
      data-status={severity}
    >
      {SEVERITY_LABELS[severity]}
    </Badge>
  );
}

export function AlertStateBadge({
  state,
  resolution,
}: {
  state: AlertState;
  resolution?: AlertResolution | null;
}) {
  return (
    <Badge tone={STATE_TONES[state]} data-testid="alert-state" data-status={state}>
      {STATE_LABELS[state]}
      {state === "resolved" && resolution ? ` (${RESOLUTION_LABELS[resolution]})` : ""}
    </Badge>
  );
}

const number = new Intl.NumberFormat("en-GB", { maximumSignificantDigits: 4 });

/** A measurement as a short number ("0.3125", "1,250"). */
export function formatReading(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return number.format(value);
}

const level = (value: number | null) => (value === null ? null : number.format(value));

/** A threshold in words: "above 0.1 warns, above 0.2 is critical". */
export function describeThreshold(threshold: MonitorThreshold): string {
  switch (threshold.kind) {
    case "static": {
      const parts = [
        level(threshold.warning) && `${threshold.direction} ${level(threshold.warning)} warns`,
        level(threshold.critical) &&
          `${threshold.direction} ${level(threshold.critical)} is critical`,
      ].filter(Boolean);
      return parts.length > 0 ? parts.join(", ") : "no level set";
    }
    case "relative": {
      const baseline = {
        previous_period: "the previous window",
        last_week: "the same window last week",
        reference: "the reference",
      }[threshold.baseline];
      const unit = threshold.change === "percent" ? "%" : " points";
      const direction = threshold.direction === "either" ? "a change" : `an ${threshold.direction}`;
      const parts = [
        level(threshold.warning) && `${level(threshold.warning)}${unit} warns`,
        level(threshold.critical) && `${level(threshold.critical)}${unit} is critical`,
      ].filter(Boolean);
      return `${direction} vs ${baseline}: ${parts.join(", ") || "no level set"}`;
    }
    case "band": {
      const spread =
        threshold.method === "mean_sd" ? "sd around the mean" : "MAD around the median";
      const side =
        threshold.direction === "either"
          ? "outside"
          : threshold.direction === "above"
            ? "above"
            : "below";
      const critical =
        threshold.criticalK === null ? "" : `, ${number.format(threshold.criticalK)} is critical`;
      return `${side} ${number.format(threshold.warningK)} ${spread} of the last ${threshold.trailingBuckets} buckets warns${critical}`;
    }
    case "statistical":
      return threshold.fdr
        ? `the drift tests' status (warn is a warning, alert is critical), false-discovery rate held at ${number.format(threshold.fdrLevel)} across features`
        : "the drift tests' status (warn is a warning, alert is critical)";
  }
}

/** The level an alert of this severity was judged against, when the threshold has one. */
export function levelFor(threshold: MonitorThreshold, severity: Severity): string | null {
  if (threshold.kind === "static" || threshold.kind === "relative") {
    const value = severity === "critical" ? threshold.critical : threshold.warning;
    if (value === null) return null;
    const prefix =
      threshold.kind === "static" ? (threshold.direction === "above" ? "> " : "< ") : "Δ ";
    const unit = threshold.kind === "relative" && threshold.change === "percent" ? "%" : "";
    return `${prefix}${number.format(value)}${unit}`;
  }
  if (threshold.kind === "band") {
    const k = severity === "critical" ? threshold.criticalK : threshold.warningK;
    return k === null
      ? null
      : `±${number.format(k)}${threshold.method === "mean_sd" ? " sd" : " MAD"}`;
  }
  return severity === "critical" ? "test: alert" : "test: warn";
}

/**
 * The limit an evaluation judged the alert's value by (`details.limit`; `details.threshold` holds
 * the monitor's threshold settings), when it recorded one.
 */
export function recordedThreshold(details: Record<string, unknown>): number | null {
  for (const value of [details.limit, details.threshold]) {
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return null;
}
