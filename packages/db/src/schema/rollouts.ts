// citus: reference (rollout_policies, deployments, deployment_steps, deployment_events,
// analysis_runs: control-plane rows, a handful per promotion); analysis_measurements:
// distributed by model id (one row per metric per interval while a canary runs)
import { sql } from "drizzle-orm";
import {
  check,
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
  ABORT_REASONS,
  ANALYSIS_PHASES,
  DEPLOYMENT_STATES,
  LIVE_DEPLOYMENT_STATES,
  MEASUREMENT_PHASES,
  PAUSE_REASONS,
  type AnalysisMetric,
  type CanaryStep,
  type CanaryStrategy,
  type Condition,
  type RolloutPolicy,
} from "@plumbline/rollouts";

import { actorTypeEnum } from "./audit";
import { createdAt, uuidPrimaryKey } from "./columns";
import { environments } from "./environments";
import { models, modelVersions } from "./models";
import { projects } from "./projects";
import { promotionRequests } from "./promotions";
import { users } from "./users";

export const deploymentStateEnum = pgEnum("deployment_state", DEPLOYMENT_STATES);
export const deploymentPauseReasonEnum = pgEnum("deployment_pause_reason", PAUSE_REASONS);
export const deploymentAbortReasonEnum = pgEnum("deployment_abort_reason", ABORT_REASONS);
export const analysisPhaseEnum = pgEnum("analysis_phase", ANALYSIS_PHASES);
export const measurementPhaseEnum = pgEnum("measurement_phase", MEASUREMENT_PHASES);

/** `LIVE_DEPLOYMENT_STATES` of the state machine, for the partial indexes below. */
export const LIVE_DEPLOYMENT_STATE_SQL = sql.raw(
  `(${LIVE_DEPLOYMENT_STATES.map((state) => `'${state}'`).join(", ")})`,
);

/** Re-exported for SQL outside this package (ingest's routing read) that filters on them. */
export { LIVE_DEPLOYMENT_STATES };

/**
 * How an environment releases an approved promotion: a `RolloutPolicy` of `@plumbline/rollouts`
 * (`direct`, or `canary` with its strategy), validated before it is stored. No row: direct.
 */
export const rolloutPolicies = pgTable(
  "rollout_policies",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    policy: jsonb().$type<RolloutPolicy>().notNull(),
    updatedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("rollout_policies_environment_key").on(table.environmentId)],
);

/**
 * One canary release of a candidate version to an environment, driven by the worker through the
 * state machine of `@plumbline/rollouts`. The strategy is a snapshot taken at the start. `version`
 * is the optimistic-locking counter of every write; `attempt` counts retries after a rollback.
 * At most one live deployment per model and environment.
 */
export const deployments = pgTable(
  "deployments",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    /** The alias this deployment moves on success (the environment's name). */
    targetAlias: text().notNull(),
    promotionRequestId: uuid().references(() => promotionRequests.id, { onDelete: "set null" }),
    candidateVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    /** What the alias served when the deployment started; null on a first release. */
    stableVersionId: uuid().references(() => modelVersions.id, { onDelete: "set null" }),
    strategy: jsonb().$type<CanaryStrategy>().notNull(),
    state: deploymentStateEnum().notNull().default("pending"),
    stepIndex: integer().notNull().default(0),
    weight: integer().notNull().default(0),
    stepStartedAt: timestamp({ withTimezone: true }),
    pauseReason: deploymentPauseReasonEnum(),
    pauseUntil: timestamp({ withTimezone: true }),
    abortReason: deploymentAbortReasonEnum(),
    message: text(),
    attempt: integer().notNull().default(1),
    startedBy: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    version: integer().notNull().default(1),
  },
  (table) => [
    uniqueIndex("deployments_one_live_key")
      .on(table.modelId, table.environmentId)
      .where(sql`${table.state} in ${LIVE_DEPLOYMENT_STATE_SQL}`),
    index("deployments_live_idx")
      .on(table.state, table.updatedAt)
      .where(sql`${table.state} in ${LIVE_DEPLOYMENT_STATE_SQL}`),
    index("deployments_project_idx").on(table.projectId, table.createdAt),
    index("deployments_model_idx").on(table.modelId, table.createdAt),
    check("deployments_weight_range", sql`${table.weight} between 0 and 100`),
  ],
);

/**
 * Each step of each attempt, once: started and (when it is) completed. The unique key is what
 * makes a step impossible to run twice, whichever worker runs it.
 */
export const deploymentSteps = pgTable(
  "deployment_steps",
  {
    id: uuidPrimaryKey(),
    modelId: uuid().notNull(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    stepIndex: integer().notNull(),
    step: jsonb().$type<CanaryStep>().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    completedAt: timestamp({ withTimezone: true }),
    /** `worker` or `person` (a resume). */
    completedVia: text(),
  },
  (table) => [
    uniqueIndex("deployment_steps_step_key").on(
      table.modelId,
      table.deploymentId,
      table.attempt,
      table.stepIndex,
    ),
  ],
);

/** A deployment's timeline: transitions, weight changes, people's actions, notifications. */
export const deploymentEvents = pgTable(
  "deployment_events",
  {
    id: uuidPrimaryKey(),
    modelId: uuid().notNull(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    /** The deployment's `version` this event moved it to: orders events and proves no repeats. */
    sequence: integer().notNull(),
    /** Order within one step's events. */
    position: integer().notNull().default(0),
    kind: text().notNull(),
    fromState: deploymentStateEnum(),
    toState: deploymentStateEnum(),
    weightFrom: integer(),
    weightTo: integer(),
    actorType: actorTypeEnum().notNull(),
    actorId: text().notNull(),
    reason: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex("deployment_events_sequence_key").on(
      table.modelId,
      table.deploymentId,
      table.sequence,
      table.position,
    ),
  ],
);

/** One analysis step of one attempt: its metrics (snapshot) and how it ended. */
export const analysisRuns = pgTable(
  "analysis_runs",
  {
    id: uuidPrimaryKey(),
    modelId: uuid().notNull(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    stepIndex: integer().notNull(),
    metrics: jsonb().$type<AnalysisMetric[]>().notNull(),
    phase: analysisPhaseEnum().notNull().default("running"),
    message: text(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("analysis_runs_step_key").on(
      table.modelId,
      table.deploymentId,
      table.attempt,
      table.stepIndex,
    ),
  ],
);

/**
 * One measurement of one metric: canary and stable side by side, the value judged, the
 * conditions it was judged by, and the outcome. The primary key is the claim: a measurement is
 * taken once whatever the number of workers.
 */
export const analysisMeasurements = pgTable(
  "analysis_measurements",
  {
    modelId: uuid().notNull(),
    runId: uuid().notNull(),
    metricName: text().notNull(),
    measurementIndex: integer().notNull(),
    phase: measurementPhaseEnum().notNull(),
    value: doublePrecision(),
    /** The side's own statistic (error rate, p99, mean score, ...) where one exists. */
    canaryValue: doublePrecision(),
    stableValue: doublePrecision(),
    canarySamples: integer().notNull(),
    stableSamples: integer().notNull(),
    successCondition: jsonb().$type<Condition>(),
    failureCondition: jsonb().$type<Condition>(),
    reason: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    measuredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({
      columns: [table.modelId, table.runId, table.metricName, table.measurementIndex],
    }),
  ],
);

export type RolloutPolicyRow = typeof rolloutPolicies.$inferSelect;
export type Deployment = typeof deployments.$inferSelect;
export type DeploymentStepRow = typeof deploymentSteps.$inferSelect;
export type DeploymentEventRow = typeof deploymentEvents.$inferSelect;
export type AnalysisRun = typeof analysisRuns.$inferSelect;
export type AnalysisMeasurement = typeof analysisMeasurements.$inferSelect;
