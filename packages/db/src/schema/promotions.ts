// citus: reference (governance rows: few, joined to the registry, never to predictions)
import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { PROMOTION_STATES } from "@plumbline/governance";

import { actorTypeEnum } from "./audit";
import { uuidPrimaryKey } from "./columns";
import { environmentKindEnum, environments } from "./environments";
import { gateOutcomeEnum } from "./evaluations";
import { models, modelVersions } from "./models";
import { projects } from "./projects";
import { roleEnum } from "./role-bindings";
import { users } from "./users";

/** One evaluation metric of the replaced version, as `@plumbline/governance`'s `EvaluationMetric`. */
export interface ReplacedMetric {
  metric: string;
  slice: string | null;
  value: number;
  lower?: number;
  upper?: number;
  n?: number;
}

export const promotionStateEnum = pgEnum("promotion_state", PROMOTION_STATES);

/** `OPEN_PROMOTION_STATES` of the state machine, for the partial unique index below. */
export const OPEN_PROMOTION_STATE_SQL = sql.raw(
  "('checks_running', 'awaiting_approval', 'approved', 'deploying')",
);

/**
 * A request to promote one model version to one environment, persisted from the governance state
 * machine's `PromotionRequest`. `version` is the optimistic-locking counter: every accepted event
 * is written with `UPDATE ... WHERE id = $1 AND version = $2`. The artifact digest, the policy,
 * its hash and the model card's hash are snapshots taken at creation.
 */
export const promotionRequests = pgTable(
  "promotion_requests",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    modelVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    environmentKind: environmentKindEnum().notNull(),
    targetAlias: text().notNull(),
    requesterType: actorTypeEnum().notNull(),
    requesterId: text().notNull(),
    /**
     * The person behind the request: the user, or the creator of the API key that asked. Never an
     * eligible approver, so a CI key's owner cannot approve what their pipeline requested.
     */
    requesterUserId: uuid(),
    /** The user who registered the version ("" when unknown): never an eligible approver. */
    versionCreatorId: text().notNull(),
    state: promotionStateEnum().notNull(),
    artifactDigest: text().notNull(),
    policy: jsonb().$type<Record<string, unknown>>().notNull(),
    policyHash: text().notNull(),
    modelCardHash: text(),
    /**
     * What the promotion replaces, recorded when it is requested and never recomputed: the
     * version the target alias served then (null on a first release) and that version's
     * evaluation metrics, so the evidence still compares the right pair after the alias moved.
     */
    replacedVersionId: uuid(),
    replacedMetrics: jsonb().$type<ReplacedMetric[]>().notNull().default([]),
    requiredApprovals: integer().notNull(),
    justification: text().notNull(),
    gateDecision: text(),
    gateWarnings: jsonb().$type<string[]>().notNull().default([]),
    approvedVia: text(),
    breakGlassActorId: text(),
    breakGlassReason: text(),
    breakGlassAt: timestamp({ withTimezone: true }),
    closedReason: text(),
    /** Room for canary deployments: the `deployments` row driving this promotion, when any. */
    deploymentId: uuid(),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    version: integer().notNull(),
  },
  (table) => [
    uniqueIndex("promotion_requests_one_open_key")
      .on(table.modelVersionId, table.environmentId)
      .where(sql`${table.state} in ${OPEN_PROMOTION_STATE_SQL}`),
    index("promotion_requests_project_state_idx").on(table.projectId, table.state),
    index("promotion_requests_expiry_idx")
      .on(table.expiresAt)
      .where(sql`${table.state} = 'awaiting_approval'`),
  ],
);

export const approvalDecisionEnum = pgEnum("approval_decision", ["approve", "reject"]);

/** One approve or reject by one person on one request, bound to the artifact digest they saw. */
export const approvals = pgTable(
  "approvals",
  {
    id: uuidPrimaryKey(),
    requestId: uuid()
      .notNull()
      .references(() => promotionRequests.id, { onDelete: "cascade" }),
    approverId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    role: roleEnum().notNull(),
    decision: approvalDecisionEnum().notNull(),
    comment: text().notNull(),
    artifactDigest: text().notNull(),
    overridesFailedGates: boolean().notNull().default(false),
    voided: boolean().notNull().default(false),
    decidedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex("approvals_request_approver_key").on(table.requestId, table.approverId)],
);

/** What each gate rule concluded for a request, stored even when break-glass already approved. */
export const gateResults = pgTable(
  "gate_results",
  {
    id: uuidPrimaryKey(),
    requestId: uuid()
      .notNull()
      .references(() => promotionRequests.id, { onDelete: "cascade" }),
    ruleId: text().notNull(),
    ruleKind: text().notNull(),
    rule: jsonb().$type<Record<string, unknown>>().notNull(),
    subject: text(),
    observed: doublePrecision(),
    threshold: doublePrecision(),
    comparator: text(),
    outcome: gateOutcomeEnum().notNull(),
    onFail: text().notNull(),
    message: text().notNull(),
    position: integer().notNull(),
    evaluatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index("gate_results_request_idx").on(table.requestId, table.position)],
);

export type PromotionRequestRow = typeof promotionRequests.$inferSelect;
export type ApprovalRow = typeof approvals.$inferSelect;
export type GateResultRow = typeof gateResults.$inferSelect;
