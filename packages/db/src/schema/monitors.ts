// citus: reference (monitors, monitor_mutes, alerts, alert_events, retraining_policies: control-plane
// rows written by people or once per bucket); monitor_evaluations: distributed by model id
import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import {
  ALERT_EVENT_KINDS,
  ALERT_RESOLUTIONS,
  ALERT_STATES,
  MONITOR_METRICS,
  SEVERITIES,
  type MonitorRoute,
  type MonitorScope,
  type MonitorThreshold,
} from "@plumbline/contracts";

import { createdAt, uuidPrimaryKey } from "./columns";
import { models } from "./models";
import { projects } from "./projects";
import { users } from "./users";
import { webhooks } from "./webhooks";

export const monitorMetricEnum = pgEnum("monitor_metric", MONITOR_METRICS);
export const alertSeverityEnum = pgEnum("alert_severity", SEVERITIES);
export const alertStateEnum = pgEnum("alert_state", ALERT_STATES);
export const alertResolutionEnum = pgEnum("alert_resolution", ALERT_RESOLUTIONS);
export const alertEventKindEnum = pgEnum("alert_event_kind", ALERT_EVENT_KINDS);

/**
 * A monitor: one metric of one model, its threshold, cadence and guards, and where its alerts
 * go. The settings columns are `MonitorSettings` of `@plumbline/contracts`, validated there.
 */
export const monitors = pgTable(
  "monitors",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    name: text().notNull(),
    metric: monitorMetricEnum().notNull(),
    statistic: text().notNull(),
    /** One feature, or null: every feature of a per-feature metric. */
    feature: text(),
    threshold: jsonb().$type<MonitorThreshold>().notNull(),
    bucketMinutes: integer().notNull(),
    windowMinutes: integer().notNull(),
    minSamples: integer().notNull(),
    breachesToFire: integer().notNull(),
    healthyToResolve: integer().notNull(),
    scope: jsonb().$type<MonitorScope>().notNull().default({}),
    notify: jsonb().$type<MonitorRoute[]>().notNull().default([]),
    enabled: boolean().notNull().default(true),
    /** The default-catalog entry this monitor was created from; null for a person's own. */
    catalogKey: text(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("monitors_model_idx").on(table.modelId),
    index("monitors_project_idx").on(table.projectId),
    // Creating the default catalog twice (registration, then the demo) creates nothing twice.
    uniqueIndex("monitors_model_catalog_key")
      .on(table.modelId, table.catalogKey)
      .where(sql`${table.catalogKey} is not null`),
  ],
);

/**
 * A mute window: no alert of the monitor fires or notifies between `startsAt` and `endsAt`.
 * A mute that needs an approver (a critical monitor muted for more than 24 h) is in force only
 * once `approvedBy` is set.
 */
export const monitorMutes = pgTable(
  "monitor_mutes",
  {
    id: uuidPrimaryKey(),
    monitorId: uuid()
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    reason: text().notNull(),
    requestedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    needsApproval: boolean().notNull().default(false),
    approvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    approvedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [index("monitor_mutes_monitor_idx").on(table.monitorId, table.endsAt)],
);

/**
 * One evaluation of one monitor for the bucket ending at `bucketEnd`: also the claim. A worker
 * inserts it (`on conflict do nothing`) in the same transaction as the alert changes it causes,
 * so a bucket is evaluated once however many workers run, and a worker killed mid-evaluation
 * leaves neither the claim nor half an alert.
 */
export const monitorEvaluations = pgTable(
  "monitor_evaluations",
  {
    modelId: uuid().notNull(),
    monitorId: uuid()
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    bucketEnd: timestamp({ withTimezone: true }).notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    /** `ok`, `warning`, `critical`, `insufficient` (too few samples) or `muted`: the worst target. */
    outcome: text().notNull(),
    /** Per target (feature or the whole model): value, baseline, samples, severity, statistics. */
    readings: jsonb().$type<Record<string, unknown>[]>().notNull().default([]),
    evaluatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.modelId, table.monitorId, table.bucketEnd] })],
);

/**
 * An alert: one dedup key (monitor / model / version / deployment / segment / feature) from its
 * first breach to its resolution. At most one open alert per key; a re-breach while open bumps
 * `rebreachCount` and notifies nobody.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    monitorId: uuid()
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    dedupKey: text().notNull(),
    version: text(),
    deployment: text(),
    segment: jsonb().$type<{ name: string; value: string }>(),
    feature: text(),
    severity: alertSeverityEnum().notNull(),
    state: alertStateEnum().notNull(),
    resolution: alertResolutionEnum(),
    /** Consecutive breaching evaluations (pending -> firing at the monitor's N). */
    breachStreak: integer().notNull().default(1),
    /** Consecutive healthy evaluations while open (-> resolved at the monitor's M). */
    healthyStreak: integer().notNull().default(0),
    rebreachCount: integer().notNull().default(0),
    /** The last breaching measurement and what it was judged against. */
    value: doublePrecision(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The window whose evaluation first breached: what the alert's charts open on. */
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    firstBreachedAt: timestamp({ withTimezone: true }).notNull(),
    lastBreachedAt: timestamp({ withTimezone: true }).notNull(),
    firedAt: timestamp({ withTimezone: true }),
    acknowledgedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    snoozedUntil: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    ownerId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("alerts_open_dedup_key")
      .on(table.modelId, table.dedupKey)
      .where(sql`${table.state} <> 'resolved'`),
    index("alerts_project_state_idx").on(table.projectId, table.state, table.createdAt),
    index("alerts_model_idx").on(table.modelId, table.createdAt),
  ],
);

/** An alert's timeline: machine transitions, people's actions, comments, notifications. */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: uuidPrimaryKey(),
    alertId: uuid()
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    kind: alertEventKindEnum().notNull(),
    /** The person; null for Plumbline's own evaluations. */
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** A comment's text, a snooze's or resolution's reason. */
    body: text().notNull().default(""),
    /** Measurements, the outbox event id of a notification, the new owner... */
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (table) => [index("alert_events_alert_idx").on(table.alertId, table.occurredAt)],
);

/**
 * A model's retraining trigger: when an alert of the chosen monitors (all, if empty) reaches
 * `minSeverity`, at most once per cool-down, a `retraining.requested` event goes to the channel.
 */
export const retrainingPolicies = pgTable("retraining_policies", {
  modelId: uuid()
    .primaryKey()
    .references(() => models.id, { onDelete: "cascade" }),
  projectId: uuid()
    .notNull()
    .references(() => projects.id, { onDelete: "cascade" }),
  enabled: boolean().notNull().default(true),
  monitorIds: uuid().array().notNull().default([]),
  minSeverity: alertSeverityEnum().notNull().default("critical"),
  cooldownMinutes: integer().notNull().default(360),
  channelId: uuid()
    .notNull()
    .references(() => webhooks.id, { onDelete: "cascade" }),
  lastTriggeredAt: timestamp({ withTimezone: true }),
  updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Monitor = typeof monitors.$inferSelect;
export type MonitorMute = typeof monitorMutes.$inferSelect;
export type MonitorEvaluation = typeof monitorEvaluations.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
export type AlertEvent = typeof alertEvents.$inferSelect;
export type RetrainingPolicy = typeof retrainingPolicies.$inferSelect;
