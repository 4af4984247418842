import type { ArtifactDigest } from "./artifact-digest";
import { normalizeArtifactDigest } from "./artifact-digest";
import type { GateDecision, GateResult } from "./gates";
import { summarizeGateResults } from "./gates";
import type { EnvironmentKind, GatePolicy } from "./policy";
import { eligibleApproverRoles, hashGatePolicy } from "./policy";
import type { Actor, Role } from "./roles";
import { SYSTEM_ACTOR } from "./roles";

/**
 * The promotion state machine of the governance spec (`docs/governance.md`, "Promotion
 * state machine"), as one pure function: {@link applyPromotionEvent} takes a request, an event and
 * the current time and returns the next request plus the effects the caller must persist, or a
 * refusal with a stable error code. No I/O, no clock, no randomness.
 *
 * ```
 * create -> checks_running
 *   gates_finished: blocked -> checks_failed | clear + 0 approvals -> approved (system)
 *                   | otherwise -> awaiting_approval (warnings / override required)
 * awaiting_approval: approve (quorum) -> approved | reject -> rejected | expire -> expired
 * checks_running | awaiting_approval | approved: cancel -> cancelled | invalidate -> stale
 * checks_running | awaiting_approval: break_glass (admin + reason) -> approved (flagged)
 * approved: deploy_started -> deploying: deploy_finished -> promoted | deploy_rolled_back -> rolled_back
 * ```
 *
 * Concurrency contract for the database layer: every accepted event returns the request with
 * `version` incremented by exactly one. Persist with optimistic locking,
 * `UPDATE promotion_requests SET ..., version = $next WHERE id = $id AND version = $previous`,
 * inside the same transaction as the effects; zero rows updated means another writer won: roll
 * back, reload, re-apply the event (which may now be refused, e.g. `already_decided` or
 * `terminal_state`). A unique index on `approvals (request_id, approver_id)` and a partial unique
 * index on `promotion_requests (model_version_id, environment_id) WHERE state IN
 * OPEN_PROMOTION_STATES` are the second line of defence.
 */
export const PROMOTION_STATES = [
  "checks_running",
  "checks_failed",
  "awaiting_approval",
  "approved",
  "rejected",
  "expired",
  "cancelled",
  "stale",
  "deploying",
  "promoted",
  "rolled_back",
] as const;

export type PromotionState = (typeof PROMOTION_STATES)[number];

/** States that never change again: every event on them is refused with `terminal_state`. */
export const TERMINAL_PROMOTION_STATES = [
  "checks_failed",
  "rejected",
  "expired",
  "cancelled",
  "stale",
  "promoted",
  "rolled_back",
] as const satisfies readonly PromotionState[];

/** At most one request per model version and environment may be in these states. */
export const OPEN_PROMOTION_STATES = [
  "checks_running",
  "awaiting_approval",
  "approved",
  "deploying",
] as const satisfies readonly PromotionState[];

export function isTerminalPromotionState(state: PromotionState): boolean {
  return (TERMINAL_PROMOTION_STATES as readonly PromotionState[]).includes(state);
}

/** What changed under an open request and voids it (spec: "artifact / card / policy changed"). */
export const INVALIDATION_CAUSES = [
  "artifact_changed",
  "model_card_changed",
  "evaluations_changed",
  "policy_changed",
] as const;

export type InvalidationCause = (typeof INVALIDATION_CAUSES)[number];

/** One row of `approvals`: an approve or reject by one person, bound to the digest they saw. */
export interface PromotionDecision {
  approverId: string;
  role: Role;
  decision: "approve" | "reject";
  comment: string;
  artifactDigest: ArtifactDigest;
  decidedAt: Date;
  /** True when the request needed an override of failed fairness gates; the comment justifies it. */
  overridesFailedGates: boolean;
  /** Set when staleness voided it; a void decision never counts. */
  voided: boolean;
}

export interface BreakGlassRecord {
  actorId: string;
  reason: string;
  at: Date;
}

/** A promotion request (`promotion_requests` plus its `approvals`), as the machine sees it. */
export interface PromotionRequest {
  id: string;
  modelVersionId: string;
  environment: EnvironmentKind;
  /** The alias that moves when the promotion completes (`production` for production, ...). */
  targetAlias: string;
  /** The user or API key that asked. */
  requesterId: string;
  /**
   * The person behind the request: the requesting user, or the creator of the API key that asked
   * (null when unknown). They may not approve it, so a CI key is no way around self-approval.
   */
  requesterUserId: string | null;
  /** The user who registered the version (the key's owner when CI registered it). */
  versionCreatorId: string;
  state: PromotionState;
  /** Snapshot at creation: approvals must carry exactly this digest. */
  artifactDigest: ArtifactDigest;
  /** Snapshot of the policy in force at creation, and its hash (staleness check). */
  policy: GatePolicy;
  policyHash: string;
  /**
   * Approvals needed: the policy's count, raised to at least one when the gates were
   * inconclusive or need an override.
   */
  requiredApprovals: number;
  justification: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the request starts awaiting approval: `now + policy.approvalTtlHours`. */
  expiresAt: Date | null;
  decisions: PromotionDecision[];
  gateDecision: GateDecision | null;
  /** Messages of inconclusive or overridable gate results, shown to approvers as warnings. */
  gateWarnings: string[];
  approvedVia: "system" | "quorum" | "break_glass" | null;
  breakGlass: BreakGlassRecord | null;
  /** Why the request closed: cancel reason, stale cause, rejection comment, rollback reason. */
  closedReason: string | null;
  /** Optimistic-locking counter: +1 on every accepted event (see the module comment). */
  version: number;
}

export type PromotionEvent =
  | { type: "gates_finished"; results: readonly GateResult[] }
  | { type: "approve"; actor: Actor; artifactDigest: string; comment: string }
  | { type: "reject"; actor: Actor; artifactDigest: string; comment: string }
  | { type: "expire" }
  | { type: "cancel"; actor: Actor; reason?: string }
  | { type: "invalidate"; cause: InvalidationCause; detail?: string }
  | { type: "break_glass"; actor: Actor; reason: string }
  | { type: "deploy_started"; actor?: Actor; deploymentId?: string }
  | { type: "deploy_finished"; actor?: Actor }
  | { type: "deploy_rolled_back"; actor?: Actor; reason: string };

export interface PromotionContext {
  now: Date;
}

/** Audit actions the machine asks for (`audit_log.action`). */
export const PROMOTION_AUDIT_ACTIONS = [
  "promotion.requested",
  "promotion.checks_failed",
  "promotion.awaiting_approval",
  "promotion.approval_recorded",
  "promotion.approved",
  "promotion.rejected",
  "promotion.expired",
  "promotion.cancelled",
  "promotion.stale",
  "promotion.break_glass",
  "promotion.deploying",
  "promotion.promoted",
  "promotion.rolled_back",
  "alias.moved",
] as const;

/** Outbox event types (`outbox_events.type`), the names webhook subscriptions choose from. */
export const PROMOTION_OUTBOX_EVENT_TYPES = PROMOTION_AUDIT_ACTIONS;

export type PromotionAuditAction = (typeof PROMOTION_AUDIT_ACTIONS)[number];
export type PromotionOutboxEventType = (typeof PROMOTION_OUTBOX_EVENT_TYPES)[number];

export interface PromotionEventPayload {
  requestId: string;
  modelVersionId: string;
  environment: EnvironmentKind;
  state: PromotionState;
  actorId: string;
  reason: string | null;
}

/**
 * What the caller must do, in the same transaction as the request update, in list order:
 * - `audit`: append one `audit_log` row;
 * - `outbox`: insert one `outbox_events` row (webhooks deliver it later);
 * - `insert_decision`: insert one `approvals` row;
 * - `void_decisions`: mark these approvers' `approvals` rows void;
 * - `run_gates`: evaluate the policy's gates and apply `gates_finished` (after commit);
 * - `move_alias`: point `alias` at the version and append `model_alias_history`;
 * - `notify`: tell a group of people; the API writes it as a `promotion.notification` outbox
 *   event naming the audience, delivered after commit by the webhooks that subscribe to it.
 */
export type PromotionEffect =
  | {
      kind: "audit";
      action: PromotionAuditAction;
      actor: Actor;
      fromState: PromotionState | null;
      toState: PromotionState;
      reason: string | null;
    }
  | { kind: "outbox"; eventType: PromotionOutboxEventType; payload: PromotionEventPayload }
  | { kind: "insert_decision"; decision: PromotionDecision }
  | { kind: "void_decisions"; approverIds: string[] }
  | { kind: "run_gates" }
  | {
      kind: "move_alias";
      alias: string;
      modelVersionId: string;
      via: "promotion" | "break_glass";
    }
  | { kind: "notify"; audience: "requester" | "approvers" | "admins"; reason: string };

export const PROMOTION_ERROR_CODES = [
  "terminal_state",
  "invalid_transition",
  "not_expired_yet",
  "request_expired",
  "actor_not_user",
  "self_approval_requester",
  "self_approval_creator",
  "role_not_eligible",
  "digest_mismatch",
  "already_decided",
  "comment_required",
  "not_requester_or_admin",
  "break_glass_requires_admin",
  "break_glass_reason_required",
  "requester_not_allowed",
  "version_not_ready",
  "open_request_exists",
  "invalid_artifact_digest",
  "justification_required",
] as const;

export type PromotionErrorCode = (typeof PROMOTION_ERROR_CODES)[number];

export interface PromotionError {
  code: PromotionErrorCode;
  message: string;
}

export type PromotionTransition =
  | { ok: true; request: PromotionRequest; effects: PromotionEffect[] }
  | { ok: false; error: PromotionError };

export interface CreatePromotionInput {
  id: string;
  modelVersionId: string;
  versionStatus: "registering" | "ready" | "failed";
  versionCreatorId: string;
  artifactDigest: string;
  environment: EnvironmentKind;
  targetAlias: string;
  requester: Actor;
  /** For an API key: its creator (the key's person). Ignored for a user requester. */
  apiKeyCreatorId?: string | null;
  policy: GatePolicy;
  justification: string;
  /** Whether another request for this version and environment is in an open state. */
  openRequestExists: boolean;
}

/**
 * Builds a new request in `checks_running` (spec: "create (engineer or CI key; version ready; no
 * open request for version+environment)"). The API key's `promotions:request` scope is checked
 * by the API before this; a user needs the ml_engineer role or higher.
 */
export function createPromotionRequest(
  input: CreatePromotionInput,
  context: PromotionContext,
): PromotionTransition {
  const { requester } = input;
  if (requester.type === "system" || (requester.type === "user" && requester.role === "viewer")) {
    return refuse(
      "requester_not_allowed",
      "Only an ml_engineer, approver, admin or CI key may request a promotion.",
    );
  }
  if (input.versionStatus !== "ready") {
    return refuse("version_not_ready", `The version is ${input.versionStatus}, not ready.`);
  }
  if (input.openRequestExists) {
    return refuse(
      "open_request_exists",
      `An open promotion request already exists for this version in ${input.environment}.`,
    );
  }
  const digest = normalizeArtifactDigest(input.artifactDigest);
  if (digest === null) {
    return refuse("invalid_artifact_digest", "The artifact digest must be sha256:<64 hex digits>.");
  }
  if (input.justification.trim() === "") {
    return refuse("justification_required", "A promotion request needs a justification.");
  }
  const request: PromotionRequest = {
    id: input.id,
    modelVersionId: input.modelVersionId,
    environment: input.environment,
    targetAlias: input.targetAlias,
    requesterId: requester.id,
    requesterUserId:
      requester.type === "user"
        ? requester.id
        : requester.type === "api_key"
          ? (input.apiKeyCreatorId ?? null)
          : null,
    versionCreatorId: input.versionCreatorId,
    state: "checks_running",
    artifactDigest: digest,
    policy: input.policy,
    policyHash: hashGatePolicy(input.policy),
    requiredApprovals: input.policy.requiredApprovals,
    justification: input.justification.trim(),
    createdAt: context.now,
    updatedAt: context.now,
    expiresAt: null,
    decisions: [],
    gateDecision: null,
    gateWarnings: [],
    approvedVia: null,
    breakGlass: null,
    closedReason: null,
    version: 1,
  };
  return {
    ok: true,
    request,
    effects: [
      ...announce(request, "promotion.requested", requester, null, request.justification),
      { kind: "run_gates" },
    ],
  };
}

/**
 * Applies one event. Refusals never change anything; accepted events return a new request object
 * (the input is not mutated) with `version + 1` and the effects to persist.
 */
export function applyPromotionEvent(
  request: PromotionRequest,
  event: PromotionEvent,
  context: PromotionContext,
): PromotionTransition {
  if (isTerminalPromotionState(request.state)) {
    return refuse(
      "terminal_state",
      `The request is ${request.state}; a closed request never changes.`,
    );
  }
  switch (event.type) {
    case "gates_finished":
      return onGatesFinished(request, event.results, context);
    case "approve":
    case "reject":
      return onDecision(request, event, context);
    case "expire":
      return onExpire(request, context);
    case "cancel":
      return onCancel(request, event.actor, event.reason, context);
    case "invalidate":
      return onInvalidate(request, event.cause, event.detail, context);
    case "break_glass":
      return onBreakGlass(request, event.actor, event.reason, context);
    case "deploy_started":
      return onDeployStarted(request, event.actor ?? SYSTEM_ACTOR, event.deploymentId, context);
    case "deploy_finished":
      return onDeployFinished(request, event.actor ?? SYSTEM_ACTOR, context);
    case "deploy_rolled_back":
      return onDeployRolledBack(request, event.actor ?? SYSTEM_ACTOR, event.reason, context);
  }
}

/** The approve decisions that count toward quorum: not void, one per approver by construction. */
export function countedApprovals(request: PromotionRequest): PromotionDecision[] {
  return request.decisions.filter((d) => d.decision === "approve" && !d.voided);
}

/**
 * Quorum: at least `requiredApprovals` counted approvals and no rejection. On production an
 * admin never completes a promotion alone outside break-glass (role matrix: "yes; alone only by
 * break-glass"), so a single admin approval is not enough there even when the policy needs one.
 */
export function isQuorumReached(request: PromotionRequest): boolean {
  const approvals = countedApprovals(request);
  if (request.decisions.some((d) => d.decision === "reject" && !d.voided)) return false;
  if (approvals.length < request.requiredApprovals) return false;
  if (
    request.environment === "production" &&
    approvals.length === 1 &&
    approvals[0]?.role === "admin"
  ) {
    return false;
  }
  return true;
}

/**
 * Why `actor` may not approve or reject this request, or `null` when they may (spec: "an eligible
 * approver (not the requester, not the version creator, digest matches)"; role matrix).
 */
export function approverIneligibility(
  request: PromotionRequest,
  actor: Actor,
): PromotionError | null {
  if (actor.type !== "user") {
    return {
      code: "actor_not_user",
      message: "Only a person approves or rejects; API keys and the system never do.",
    };
  }
  if (actor.id === request.requesterId || actor.id === request.requesterUserId) {
    return {
      code: "self_approval_requester",
      message:
        actor.id === request.requesterId
          ? "The requester cannot approve or reject their own request."
          : "The creator of the API key that requested this promotion cannot approve or reject it.",
    };
  }
  if (actor.id === request.versionCreatorId) {
    return {
      code: "self_approval_creator",
      message: "The version's creator cannot approve or reject its promotion.",
    };
  }
  if (!eligibleApproverRoles(request.policy).includes(actor.role)) {
    return {
      code: "role_not_eligible",
      message: `The ${actor.role} role may not approve ${request.environment} promotions under this policy.`,
    };
  }
  return null;
}

function onGatesFinished(
  request: PromotionRequest,
  results: readonly GateResult[],
  context: PromotionContext,
): PromotionTransition {
  if (request.state !== "checks_running") return invalid(request, "gates_finished");
  const summary = summarizeGateResults(results);
  const warnings = [...summary.overridable, ...summary.warnings].map((r) => r.message);
  if (summary.decision === "blocked") {
    const reason = summary.blocking.map((r) => r.message).join(" ");
    const next = advance(request, context, {
      state: "checks_failed",
      gateDecision: summary.decision,
      gateWarnings: warnings,
      closedReason: reason,
    });
    return accept(next, [
      ...announce(next, "promotion.checks_failed", SYSTEM_ACTOR, request.state, reason),
      { kind: "notify", audience: "requester", reason: "gates failed" },
    ]);
  }
  if (summary.decision === "clear" && request.policy.requiredApprovals === 0) {
    const next = advance(request, context, {
      state: "approved",
      gateDecision: summary.decision,
      approvedVia: "system",
      requiredApprovals: 0,
    });
    return accept(
      next,
      announce(
        next,
        "promotion.approved",
        SYSTEM_ACTOR,
        request.state,
        "every gate passed; the policy needs no approval",
      ),
    );
  }
  const next = advance(request, context, {
    state: "awaiting_approval",
    gateDecision: summary.decision,
    gateWarnings: warnings,
    requiredApprovals: Math.max(request.policy.requiredApprovals, 1),
    expiresAt: new Date(context.now.getTime() + request.policy.approvalTtlHours * 3_600_000),
  });
  return accept(next, [
    ...announce(next, "promotion.awaiting_approval", SYSTEM_ACTOR, request.state, null),
    { kind: "notify", audience: "approvers", reason: "a promotion awaits approval" },
  ]);
}

function onDecision(
  request: PromotionRequest,
  event: Extract<PromotionEvent, { type: "approve" | "reject" }>,
  context: PromotionContext,
): PromotionTransition {
  if (request.state !== "awaiting_approval") return invalid(request, event.type);
  if (request.expiresAt !== null && context.now >= request.expiresAt) {
    return refuse("request_expired", "The request has passed its expiry; it can only expire now.");
  }
  const ineligible = approverIneligibility(request, event.actor);
  if (ineligible !== null) return { ok: false, error: ineligible };
  const actor = event.actor as Extract<Actor, { type: "user" }>;
  const digest = normalizeArtifactDigest(event.artifactDigest);
  if (digest !== request.artifactDigest) {
    return refuse(
      "digest_mismatch",
      "The decision names a different artifact digest from the request's.",
    );
  }
  // One decision per approver, void or not: the same rule as the unique index on approvals.
  if (request.decisions.some((d) => d.approverId === actor.id)) {
    return refuse(
      "already_decided",
      "This approver has already approved or rejected this request.",
    );
  }
  const comment = event.comment.trim();
  if (comment === "") {
    return refuse(
      "comment_required",
      request.gateDecision === "override_required"
        ? "Approving over failed fairness gates needs a written justification."
        : "An approval or rejection needs a comment.",
    );
  }
  const decision: PromotionDecision = {
    approverId: actor.id,
    role: actor.role,
    decision: event.type,
    comment,
    artifactDigest: digest,
    decidedAt: context.now,
    overridesFailedGates: event.type === "approve" && request.gateDecision === "override_required",
    voided: false,
  };
  const recorded: PromotionEffect = { kind: "insert_decision", decision };
  if (event.type === "reject") {
    const next = advance(request, context, {
      state: "rejected",
      decisions: [...request.decisions, decision],
      closedReason: comment,
    });
    return accept(next, [
      recorded,
      ...announce(next, "promotion.rejected", actor, request.state, comment),
      { kind: "notify", audience: "requester", reason: "promotion rejected" },
    ]);
  }
  const withDecision = { ...request, decisions: [...request.decisions, decision] };
  const quorum = isQuorumReached(withDecision);
  const next = advance(
    withDecision,
    context,
    quorum ? { state: "approved", approvedVia: "quorum" } : {},
  );
  const effects: PromotionEffect[] = [
    recorded,
    ...announce(next, "promotion.approval_recorded", actor, request.state, comment),
  ];
  if (quorum) {
    effects.push(...announce(next, "promotion.approved", actor, request.state, null), {
      kind: "notify",
      audience: "requester",
      reason: "promotion approved",
    });
  }
  return accept(next, effects);
}

function onExpire(request: PromotionRequest, context: PromotionContext): PromotionTransition {
  if (request.state !== "awaiting_approval") return invalid(request, "expire");
  if (request.expiresAt === null || context.now < request.expiresAt) {
    return refuse("not_expired_yet", "The request has not reached its expiry time.");
  }
  const next = advance(request, context, {
    state: "expired",
    closedReason: "approval window elapsed",
  });
  return accept(next, [
    ...announce(next, "promotion.expired", SYSTEM_ACTOR, request.state, next.closedReason),
    { kind: "notify", audience: "requester", reason: "promotion expired" },
  ]);
}

const CANCELLABLE: readonly PromotionState[] = ["checks_running", "awaiting_approval", "approved"];

function onCancel(
  request: PromotionRequest,
  actor: Actor,
  reason: string | undefined,
  context: PromotionContext,
): PromotionTransition {
  if (!CANCELLABLE.includes(request.state)) return invalid(request, "cancel");
  const isAdmin = actor.type === "user" && actor.role === "admin";
  if (actor.id !== request.requesterId && !isAdmin) {
    return refuse(
      "not_requester_or_admin",
      "Only the requester or an admin may cancel a promotion request.",
    );
  }
  const closedReason = reason?.trim() || "cancelled";
  const next = advance(request, context, { state: "cancelled", closedReason });
  return accept(next, announce(next, "promotion.cancelled", actor, request.state, closedReason));
}

const INVALIDATABLE: readonly PromotionState[] = [
  "checks_running",
  "awaiting_approval",
  "approved",
];

function onInvalidate(
  request: PromotionRequest,
  cause: InvalidationCause,
  detail: string | undefined,
  context: PromotionContext,
): PromotionTransition {
  if (!INVALIDATABLE.includes(request.state)) return invalid(request, "invalidate");
  const voided = request.decisions.filter((d) => !d.voided).map((d) => d.approverId);
  const closedReason = detail === undefined ? cause : `${cause}: ${detail}`;
  const next = advance(request, context, {
    state: "stale",
    decisions: request.decisions.map((d) => ({ ...d, voided: true })),
    closedReason,
  });
  const effects: PromotionEffect[] = [];
  if (voided.length > 0) effects.push({ kind: "void_decisions", approverIds: voided });
  effects.push(
    ...announce(next, "promotion.stale", SYSTEM_ACTOR, request.state, closedReason),
    { kind: "notify", audience: "requester", reason: "promotion went stale" },
    { kind: "notify", audience: "approvers", reason: "promotion went stale; approvals are void" },
  );
  return accept(next, effects);
}

const BREAK_GLASS_FROM: readonly PromotionState[] = ["checks_running", "awaiting_approval"];

function onBreakGlass(
  request: PromotionRequest,
  actor: Actor,
  reason: string,
  context: PromotionContext,
): PromotionTransition {
  if (!BREAK_GLASS_FROM.includes(request.state)) return invalid(request, "break_glass");
  if (actor.type !== "user" || actor.role !== "admin") {
    return refuse("break_glass_requires_admin", "Only an admin may break the glass.");
  }
  const trimmed = reason.trim();
  if (trimmed === "") {
    return refuse("break_glass_reason_required", "Break-glass needs a written reason.");
  }
  const next = advance(request, context, {
    state: "approved",
    approvedVia: "break_glass",
    breakGlass: { actorId: actor.id, reason: trimmed, at: context.now },
  });
  return accept(next, [
    ...announce(next, "promotion.break_glass", actor, request.state, trimmed),
    ...announce(next, "promotion.approved", actor, request.state, trimmed),
    { kind: "notify", audience: "admins", reason: "break-glass approval" },
    { kind: "notify", audience: "approvers", reason: "break-glass approval" },
  ]);
}

function onDeployStarted(
  request: PromotionRequest,
  actor: Actor,
  deploymentId: string | undefined,
  context: PromotionContext,
): PromotionTransition {
  if (request.state !== "approved") return invalid(request, "deploy_started");
  const next = advance(request, context, { state: "deploying" });
  const reason = deploymentId === undefined ? null : `deployment ${deploymentId}`;
  return accept(next, announce(next, "promotion.deploying", actor, request.state, reason));
}

function onDeployFinished(
  request: PromotionRequest,
  actor: Actor,
  context: PromotionContext,
): PromotionTransition {
  if (request.state !== "deploying") return invalid(request, "deploy_finished");
  const next = advance(request, context, { state: "promoted" });
  const via = request.approvedVia === "break_glass" ? "break_glass" : "promotion";
  return accept(next, [
    { kind: "move_alias", alias: request.targetAlias, modelVersionId: request.modelVersionId, via },
    ...announce(
      next,
      "alias.moved",
      actor,
      request.state,
      `${request.targetAlias} -> ${request.modelVersionId}`,
    ),
    ...announce(next, "promotion.promoted", actor, request.state, null),
  ]);
}

function onDeployRolledBack(
  request: PromotionRequest,
  actor: Actor,
  reason: string,
  context: PromotionContext,
): PromotionTransition {
  if (request.state !== "deploying") return invalid(request, "deploy_rolled_back");
  const closedReason = reason.trim() || "rolled back";
  const next = advance(request, context, { state: "rolled_back", closedReason });
  return accept(next, [
    ...announce(next, "promotion.rolled_back", actor, request.state, closedReason),
    { kind: "notify", audience: "requester", reason: "deployment rolled back" },
    { kind: "notify", audience: "approvers", reason: "deployment rolled back" },
  ]);
}

function advance(
  request: PromotionRequest,
  context: PromotionContext,
  changes: Partial<Omit<PromotionRequest, "version" | "updatedAt">>,
): PromotionRequest {
  return { ...request, ...changes, updatedAt: context.now, version: request.version + 1 };
}

/** One audit row and the outbox row of the same name: every state change writes both. */
function announce(
  request: PromotionRequest,
  action: PromotionAuditAction,
  actor: Actor,
  fromState: PromotionState | null,
  reason: string | null,
): PromotionEffect[] {
  return [
    { kind: "audit", action, actor, fromState, toState: request.state, reason },
    {
      kind: "outbox",
      eventType: action,
      payload: {
        requestId: request.id,
        modelVersionId: request.modelVersionId,
        environment: request.environment,
        state: request.state,
        actorId: actor.id,
        reason,
      },
    },
  ];
}

function accept(request: PromotionRequest, effects: PromotionEffect[]): PromotionTransition {
  return { ok: true, request, effects };
}

function refuse(code: PromotionErrorCode, message: string): PromotionTransition {
  return { ok: false, error: { code, message } };
}

function invalid(request: PromotionRequest, event: PromotionEvent["type"]): PromotionTransition {
  return refuse("invalid_transition", `A ${request.state} request does not accept ${event}.`);
}
