import {
  MonitorSettings,
  type Deployment,
  PER_FEATURE_MONITOR_METRICS,
  type MonitorMetric,
  type MonitorThreshold,
  type Severity,
  type ThresholdKind,
} from "@plumbline/contracts";

/**
 * The monitor form's state: every field as the inputs hold it (numbers as text, so a field can
 * be empty while typed), and its conversion to `MonitorSettings`, validated by the same schema
 * the server uses. Errors come back keyed by field path (`threshold.critical`).
 */

export interface MonitorFormState {
  name: string;
  metric: MonitorMetric;
  statistic: string;
  feature: string;
  kind: ThresholdKind;
  direction: "above" | "below" | "either" | "increase" | "decrease";
  warning: string;
  critical: string;
  baseline: "previous_period" | "last_week" | "reference";
  change: "points" | "percent";
  method: "mean_sd" | "median_mad";
  warningK: string;
  criticalK: string;
  trailingBuckets: string;
  fdr: boolean;
  fdrLevel: string;
  bucketMinutes: string;
  windowMinutes: string;
  minSamples: string;
  breachesToFire: string;
  healthyToResolve: string;
  version: string;
  deployment: "" | Deployment;
  segmentName: string;
  segmentValue: string;
  /** Channel id -> the severities routed to it. */
  routes: Record<string, Severity[]>;
  enabled: boolean;
}

/** The statistic a metric is usually watched on, proposed when the metric changes. */
export const DEFAULT_STATISTICS: Record<MonitorMetric, string> = {
  traffic_volume: "count",
  no_data: "minutes_since_last",
  ingest_health: "rejected_share",
  latency: "p95",
  error_rate: "error_share",
  missing_values: "null_rate",
  type_mismatch: "share",
  out_of_range: "share",
  unseen_categories: "share",
  feature_drift: "js",
  dataset_drift: "share_alert",
  prediction_drift: "js",
  confidence: "low_confidence_share",
  realized_performance: "accuracy",
  label_coverage: "coverage",
  canary_vs_stable: "js",
};

export function isPerFeature(metric: MonitorMetric): boolean {
  return (PER_FEATURE_MONITOR_METRICS as readonly string[]).includes(metric);
}

export const EMPTY_FORM: MonitorFormState = {
  name: "",
  metric: "feature_drift",
  statistic: "js",
  feature: "",
  kind: "statistical",
  direction: "above",
  warning: "",
  critical: "",
  baseline: "reference",
  change: "points",
  method: "median_mad",
  warningK: "3",
  criticalK: "4",
  trailingBuckets: "168",
  fdr: false,
  fdrLevel: "0.05",
  bucketMinutes: "60",
  windowMinutes: "60",
  minSamples: "500",
  breachesToFire: "2",
  healthyToResolve: "2",
  version: "",
  deployment: "",
  segmentName: "",
  segmentValue: "",
  routes: {},
  enabled: true,
};

const text = (value: number | null | undefined) =>
  value === null || value === undefined ? "" : String(value);

export function formStateOf(settings: MonitorSettings): MonitorFormState {
  const threshold = settings.threshold;
  const routes: Record<string, Severity[]> = {};
  for (const route of settings.notify) routes[route.channelId] = [...route.severities];
  return {
    ...EMPTY_FORM,
    name: settings.name,
    metric: settings.metric,
    statistic: settings.statistic,
    feature: settings.feature ?? "",
    kind: threshold.kind,
    ...(threshold.kind === "static"
      ? {
          direction: threshold.direction,
          warning: text(threshold.warning),
          critical: text(threshold.critical),
        }
      : {}),
    ...(threshold.kind === "relative"
      ? {
          direction: threshold.direction,
          baseline: threshold.baseline,
          change: threshold.change,
          warning: text(threshold.warning),
          critical: text(threshold.critical),
        }
      : {}),
    ...(threshold.kind === "band"
      ? {
          direction: threshold.direction,
          method: threshold.method,
          warningK: text(threshold.warningK),
          criticalK: text(threshold.criticalK),
          trailingBuckets: text(threshold.trailingBuckets),
        }
      : {}),
    ...(threshold.kind === "statistical"
      ? { fdr: threshold.fdr, fdrLevel: text(threshold.fdrLevel) }
      : {}),
    bucketMinutes: text(settings.bucketMinutes),
    windowMinutes: text(settings.windowMinutes),
    minSamples: text(settings.minSamples),
    breachesToFire: text(settings.breachesToFire),
    healthyToResolve: text(settings.healthyToResolve),
    version: settings.scope.version ?? "",
    deployment: settings.scope.deployment ?? "",
    segmentName: settings.scope.segment?.name ?? "",
    segmentValue: settings.scope.segment?.value ?? "",
    routes,
    enabled: settings.enabled,
  };
}

/** A number field: empty is null, anything else must read as a number (NaN fails the schema). */
const numberOrNull = (value: string): number | null =>
  value.trim() === "" ? null : Number(value.trim());
const numberOf = (value: string): number => (value.trim() === "" ? Number.NaN : Number(value));

function thresholdOf(form: MonitorFormState): MonitorThreshold {
  const levelDirection = form.direction === "below" ? "below" : "above";
  switch (form.kind) {
    case "static":
      return {
        kind: "static",
        direction: levelDirection,
        warning: numberOrNull(form.warning),
        critical: numberOrNull(form.critical),
      };
    case "relative":
      return {
        kind: "relative",
        baseline: form.baseline,
        change: form.change,
        direction:
          form.direction === "increase" || form.direction === "decrease"
            ? form.direction
            : "either",
        warning: numberOrNull(form.warning),
        critical: numberOrNull(form.critical),
      };
    case "band":
      return {
        kind: "band",
        method: form.method,
        direction:
          form.direction === "above" || form.direction === "below" ? form.direction : "either",
        warningK: numberOf(form.warningK),
        criticalK: numberOrNull(form.criticalK),
        trailingBuckets: numberOf(form.trailingBuckets),
      };
    case "statistical":
      return { kind: "statistical", fdr: form.fdr, fdrLevel: numberOf(form.fdrLevel) };
  }
}

export type FormErrors = Record<string, string>;

/** The settings, or the problems keyed by field path. */
export function settingsOf(
  form: MonitorFormState,
): { ok: true; settings: MonitorSettings } | { ok: false; errors: FormErrors } {
  const candidate = {
    name: form.name,
    metric: form.metric,
    statistic: form.statistic.trim(),
    feature: form.feature.trim() === "" ? null : form.feature.trim(),
    threshold: thresholdOf(form),
    bucketMinutes: numberOf(form.bucketMinutes),
    windowMinutes: numberOf(form.windowMinutes),
    minSamples: numberOf(form.minSamples),
    breachesToFire: numberOf(form.breachesToFire),
    healthyToResolve: numberOf(form.healthyToResolve),
    scope: {
      ...(form.version.trim() ? { version: form.version.trim() } : {}),
      ...(form.deployment ? { deployment: form.deployment } : {}),
      ...(form.segmentName.trim()
        ? { segment: { name: form.segmentName.trim(), value: form.segmentValue } }
        : {}),
    },
    notify: Object.entries(form.routes)
      .filter(([, severities]) => severities.length > 0)
      .map(([channelId, severities]) => ({ channelId, severities })),
    enabled: form.enabled,
  };
  const parsed = MonitorSettings.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: FormErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join(".");
    errors[path] ??= issue.code === "invalid_type" ? "Enter a number." : issue.message;
  }
  return { ok: false, errors };
}
