import { z } from "zod";

import { Deployment } from "./model-reference";
import { ModelVersion } from "./names";

/**
 * Monitors and alerts: the one definition of their enums and of a monitor's settings, read by
 * the database enums, the evaluation core (`@plumbline/monitors`), the routers and the web forms.
 */

/** What a monitor measures: the rows of the default catalog (docs/monitors.md). */
export const MONITOR_METRICS = [
  "traffic_volume",
  "no_data",
  "ingest_health",
  "latency",
  "error_rate",
  "missing_values",
  "type_mismatch",
  "out_of_range",
  "unseen_categories",
  "feature_drift",
  "dataset_drift",
  "prediction_drift",
  "confidence",
  "realized_performance",
  "label_coverage",
  "canary_vs_stable",
] as const;
export const MonitorMetric = z.enum(MONITOR_METRICS);
export type MonitorMetric = z.infer<typeof MonitorMetric>;

/** Monitors that evaluate each feature on its own (one alert per feature, FDR across them). */
export const PER_FEATURE_MONITOR_METRICS = [
  "missing_values",
  "type_mismatch",
  "out_of_range",
  "unseen_categories",
  "feature_drift",
] as const satisfies readonly MonitorMetric[];

export const SEVERITIES = ["warning", "critical"] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/**
 * An alert's lifecycle: pending (breached, fewer than N consecutive breaches) -> firing ->
 * acknowledged (a person) | snoozed (until a time) -> resolved. `resolved` carries a resolution.
 */
export const ALERT_STATES = ["pending", "firing", "acknowledged", "snoozed", "resolved"] as const;
export const AlertState = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertState>;

/** Open states: the ones the dedup key is unique among. */
export const OPEN_ALERT_STATES = [
  "pending",
  "firing",
  "acknowledged",
  "snoozed",
] as const satisfies readonly AlertState[];

/**
 * How a resolved alert ended: `healthy` (M healthy evaluations), `manual` (a person),
 * `false_alarm` (a person said it should not have fired; feeds threshold tuning), `cleared`
 * (it was pending and the next evaluation was healthy: it never fired).
 */
export const ALERT_RESOLUTIONS = ["healthy", "manual", "false_alarm", "cleared"] as const;
export const AlertResolution = z.enum(ALERT_RESOLUTIONS);
export type AlertResolution = z.infer<typeof AlertResolution>;

/** What can appear on an alert's timeline. */
export const ALERT_EVENT_KINDS = [
  "breached",
  "rebreached",
  "fired",
  "escalated",
  "healthy",
  "acknowledged",
  "assigned",
  "commented",
  "snoozed",
  "snooze_expired",
  "resolved",
  "false_alarm",
  "notified",
  "retraining_triggered",
] as const;
export const AlertEventKind = z.enum(ALERT_EVENT_KINDS);
export type AlertEventKind = z.infer<typeof AlertEventKind>;

/** Where a notification goes: the delivery channels of a webhook row. */
export const NOTIFICATION_CHANNELS = ["webhook", "slack", "email"] as const;
export const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

const level = z.number().finite().nullable();

/** Static: breach above (or below) a warning and a critical level. */
export const StaticThreshold = z.strictObject({
  kind: z.literal("static"),
  direction: z.enum(["above", "below"]),
  warning: level,
  critical: level,
});

/**
 * Relative: change against a baseline period (the previous window, the same window a week
 * earlier, or the version's reference), in points (absolute difference) or percent.
 */
export const RelativeThreshold = z.strictObject({
  kind: z.literal("relative"),
  baseline: z.enum(["previous_period", "last_week", "reference"]),
  change: z.enum(["points", "percent"]),
  direction: z.enum(["increase", "decrease", "either"]),
  warning: level,
  critical: level,
});

/** Automatic band: mean +/- k sd, or median +/- k MAD, over the trailing N buckets. */
export const BandThreshold = z.strictObject({
  kind: z.literal("band"),
  method: z.enum(["mean_sd", "median_mad"]),
  direction: z.enum(["above", "below", "either"]),
  warningK: z.number().finite().positive().max(100),
  criticalK: z.number().finite().positive().max(100).nullable(),
  trailingBuckets: z.number().int().min(3).max(2016),
});

/**
 * Statistical: the drift package's status per feature (`warn` -> warning, `alert` -> critical),
 * optionally with Benjamini-Hochberg false-discovery-rate control across the model's features.
 */
export const StatisticalThreshold = z.strictObject({
  kind: z.literal("statistical"),
  fdr: z.boolean(),
  /** The FDR level q when `fdr` is on. */
  fdrLevel: z.number().finite().gt(0).lt(1),
});

export const MonitorThreshold = z.discriminatedUnion("kind", [
  StaticThreshold,
  RelativeThreshold,
  BandThreshold,
  StatisticalThreshold,
]);
export type MonitorThreshold = z.infer<typeof MonitorThreshold>;
export const THRESHOLD_KINDS = ["static", "relative", "band", "statistical"] as const;
export type ThresholdKind = MonitorThreshold["kind"];

/** Which slice of traffic a monitor watches; absent fields mean all of it. */
export const MonitorScope = z.strictObject({
  version: ModelVersion.optional(),
  deployment: Deployment.optional(),
  segment: z
    .strictObject({ name: z.string().min(1).max(128), value: z.string().max(512) })
    .optional(),
});
export type MonitorScope = z.infer<typeof MonitorScope>;

/** Which severities of this monitor go to which channel (a webhook row of the project). */
export const MonitorRoute = z.strictObject({
  channelId: z.uuid(),
  severities: z.array(Severity).min(1).max(2),
});
export type MonitorRoute = z.infer<typeof MonitorRoute>;

const MINUTES_PER_WEEK = 7 * 24 * 60;

/** Everything a person sets on a monitor (the database row adds ids and bookkeeping). */
export const MonitorSettings = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    metric: MonitorMetric,
    /**
     * The statistic within the metric, e.g. `p95` for latency, `low_confidence_share` for
     * confidence, `accuracy` for realised performance, `js` for prediction drift.
     */
    statistic: z.string().min(1).max(64),
    /** One feature, or null for every feature of a per-feature metric. */
    feature: z.string().min(1).max(256).nullable(),
    threshold: MonitorThreshold,
    bucketMinutes: z.number().int().min(1).max(MINUTES_PER_WEEK),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(4 * MINUTES_PER_WEEK),
    minSamples: z.number().int().min(0).max(1_000_000_000),
    breachesToFire: z.number().int().min(1).max(100),
    healthyToResolve: z.number().int().min(1).max(100),
    scope: MonitorScope,
    notify: z.array(MonitorRoute).max(20),
    enabled: z.boolean(),
  })
  .refine((settings) => settings.windowMinutes >= settings.bucketMinutes, {
    path: ["windowMinutes"],
    message: "the window must be at least one bucket long",
  });
export type MonitorSettings = z.infer<typeof MonitorSettings>;

/** Muting a critical monitor for longer than this needs an approver. */
export const MAX_SELF_SERVICE_CRITICAL_MUTE_MS = 24 * 60 * 60 * 1000;
