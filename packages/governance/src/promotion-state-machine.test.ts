import { describe, expect, it } from "vitest";

import {
  alice,
  apply,
  approve,
  at,
  awaitingApproval,
  bob,
  carol,
  ciKey,
  creator,
  dave,
  DIGEST,
  erin,
  gateResult,
  HOUR,
  newRequest,
  OTHER_DIGEST,
  policy,
  reject,
  requester,
  step,
  T0,
  user,
  victor,
} from "../test/promotion-fixtures";
import { hashGatePolicy } from "./policy";
import type {
  PromotionEffect,
  PromotionErrorCode,
  PromotionEvent,
  PromotionRequest,
  PromotionState,
  PromotionTransition,
} from "./promotion-state-machine";
import {
  applyPromotionEvent,
  createPromotionRequest,
  INVALIDATION_CAUSES,
  isQuorumReached,
  isTerminalPromotionState,
  PROMOTION_STATES,
  TERMINAL_PROMOTION_STATES,
} from "./promotion-state-machine";
import { SYSTEM_ACTOR } from "./roles";

function expectRefused(result: PromotionTransition, code: PromotionErrorCode): void {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

function expectAccepted(result: PromotionTransition): {
  request: PromotionRequest;
  effects: PromotionEffect[];
} {
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  return result;
}

function auditActions(effects: PromotionEffect[]): string[] {
  return effects.flatMap((effect) => (effect.kind === "audit" ? [effect.action] : []));
}

function outboxTypes(effects: PromotionEffect[]): string[] {
  return effects.flatMap((effect) => (effect.kind === "outbox" ? [effect.eventType] : []));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

const baseInput = {
  id: "req-1",
  modelVersionId: "mv-7",
  versionStatus: "ready" as const,
  versionCreatorId: creator.id,
  artifactDigest: DIGEST,
  environment: "production" as const,
  targetAlias: "production",
  requester,
  policy: policy("production"),
  justification: "Better AUC.",
  openRequestExists: false,
};

describe("createPromotionRequest", () => {
  it("opens a request in checks_running with snapshots, version 1, and asks for the gates", () => {
    const { request, effects } = expectAccepted(createPromotionRequest(baseInput, { now: T0 }));
    expect(request).toMatchObject({
      state: "checks_running",
      version: 1,
      artifactDigest: DIGEST,
      requesterId: requester.id,
      versionCreatorId: creator.id,
      requiredApprovals: 2,
      expiresAt: null,
      decisions: [],
    });
    expect(request.policyHash).toBe(hashGatePolicy(baseInput.policy));
    expect(auditActions(effects)).toEqual(["promotion.requested"]);
    expect(outboxTypes(effects)).toEqual(["promotion.requested"]);
    expect(effects.at(-1)).toEqual({ kind: "run_gates" });
  });

  it("accepts a CI key as requester and normalises a digest typed in capitals", () => {
    const { request } = expectAccepted(
      createPromotionRequest(
        { ...baseInput, requester: ciKey, artifactDigest: ` ${DIGEST.toUpperCase()} ` },
        { now: T0 },
      ),
    );
    expect(request.requesterId).toBe("key-ci");
    expect(request.artifactDigest).toBe(DIGEST);
  });

  it.each([
    ["a viewer", { requester: victor }, "requester_not_allowed"],
    ["the system", { requester: SYSTEM_ACTOR }, "requester_not_allowed"],
    ["a version still registering", { versionStatus: "registering" as const }, "version_not_ready"],
    ["a failed version", { versionStatus: "failed" as const }, "version_not_ready"],
    ["a second open request", { openRequestExists: true }, "open_request_exists"],
    ["a malformed digest", { artifactDigest: "md5:abc" }, "invalid_artifact_digest"],
    ["a blank justification", { justification: "   " }, "justification_required"],
  ] as const)("refuses %s", (_label, override, code) => {
    expectRefused(createPromotionRequest({ ...baseInput, ...override }, { now: T0 }), code);
  });
});

describe("gates finished", () => {
  it("any blocking failure -> checks_failed (terminal), with the reasons", () => {
    const { request, effects } = expectAccepted(
      apply(newRequest(), {
        type: "gates_finished",
        results: [gateResult("pass"), gateResult("fail", "block", "auc too low.")],
      }),
    );
    expect(request.state).toBe("checks_failed");
    expect(request.closedReason).toBe("auc too low.");
    expect(isTerminalPromotionState(request.state)).toBe(true);
    expect(auditActions(effects)).toEqual(["promotion.checks_failed"]);
    expect(outboxTypes(effects)).toEqual(["promotion.checks_failed"]);
  });

  it("an error -> checks_failed, even on a rule marked overridable", () => {
    const { request } = expectAccepted(
      apply(newRequest(), {
        type: "gates_finished",
        results: [gateResult("error", "require_override")],
      }),
    );
    expect(request.state).toBe("checks_failed");
  });

  it("all pass and the policy needs no approval -> approved by the system", () => {
    const { request, effects } = expectAccepted(
      apply(newRequest(policy("development")), {
        type: "gates_finished",
        results: [gateResult("pass")],
      }),
    );
    expect(request).toMatchObject({
      state: "approved",
      approvedVia: "system",
      requiredApprovals: 0,
    });
    const audit = effects.find((effect) => effect.kind === "audit");
    expect(audit).toMatchObject({
      action: "promotion.approved",
      actor: SYSTEM_ACTOR,
      fromState: "checks_running",
    });
    expect(outboxTypes(effects)).toEqual(["promotion.approved"]);
  });

  it("all pass and approvals are needed -> awaiting_approval with an expiry of now + TTL", () => {
    const { request, effects } = expectAccepted(
      apply(newRequest(), { type: "gates_finished", results: [gateResult("pass")] }, at(2)),
    );
    expect(request).toMatchObject({
      state: "awaiting_approval",
      requiredApprovals: 2,
      gateDecision: "clear",
    });
    expect(request.expiresAt).toEqual(new Date(T0.getTime() + (2 + 72) * HOUR));
    expect(outboxTypes(effects)).toEqual(["promotion.awaiting_approval"]);
    expect(effects).toContainEqual({
      kind: "notify",
      audience: "approvers",
      reason: "a promotion awaits approval",
    });
  });

  it("inconclusive results wait for at least one approval even when the policy needs none", () => {
    const { request } = expectAccepted(
      apply(newRequest(policy("development")), {
        type: "gates_finished",
        results: [gateResult("pass"), gateResult("inconclusive", "block", "group x has 12 rows.")],
      }),
    );
    expect(request).toMatchObject({
      state: "awaiting_approval",
      requiredApprovals: 1,
      gateDecision: "needs_review",
      gateWarnings: ["group x has 12 rows."],
    });
  });

  it("an overridable fairness failure waits for a justified approval", () => {
    const { request } = expectAccepted(
      apply(newRequest(policy("development")), {
        type: "gates_finished",
        results: [gateResult("fail", "require_override", "dp ratio 0.7.")],
      }),
    );
    expect(request).toMatchObject({
      state: "awaiting_approval",
      requiredApprovals: 1,
      gateDecision: "override_required",
      gateWarnings: ["dp ratio 0.7."],
    });
  });

  it("is refused once the gates have finished", () => {
    expectRefused(
      apply(awaitingApproval(), { type: "gates_finished", results: [gateResult("pass")] }),
      "invalid_transition",
    );
  });
});

describe("approve", () => {
  it("records one approval and waits while the quorum of 2 is not met", () => {
    const { request, effects } = expectAccepted(apply(awaitingApproval(), approve(alice)));
    expect(request.state).toBe("awaiting_approval");
    expect(request.decisions).toHaveLength(1);
    expect(request.decisions[0]).toMatchObject({
      approverId: alice.id,
      role: "approver",
      decision: "approve",
      artifactDigest: DIGEST,
      voided: false,
      overridesFailedGates: false,
    });
    expect(effects[0]).toMatchObject({ kind: "insert_decision" });
    expect(auditActions(effects)).toEqual(["promotion.approval_recorded"]);
  });

  it("quorum of 2: approve + approve -> approved by quorum", () => {
    const once = step(awaitingApproval(), approve(alice));
    const { request, effects } = expectAccepted(apply(once, approve(bob)));
    expect(request).toMatchObject({ state: "approved", approvedVia: "quorum" });
    expect(auditActions(effects)).toEqual(["promotion.approval_recorded", "promotion.approved"]);
    expect(outboxTypes(effects)).toEqual(["promotion.approval_recorded", "promotion.approved"]);
    expect(isQuorumReached(request)).toBe(true);
  });

  it("an admin's approval counts toward a production quorum", () => {
    const once = step(awaitingApproval(), approve(carol));
    expect(step(once, approve(alice)).state).toBe("approved");
  });

  it("on production an admin alone never completes a quorum of one (break-glass only)", () => {
    const waiting = awaitingApproval(policy("production", { requiredApprovals: 1 }));
    const afterAdmin = step(waiting, approve(carol));
    expect(afterAdmin.state).toBe("awaiting_approval");
    expect(step(afterAdmin, approve(alice)).state).toBe("approved");
    expect(step(waiting, approve(alice)).state).toBe("approved");
  });

  it("on staging one admin approval completes a quorum of one", () => {
    expect(step(awaitingApproval(policy("staging")), approve(carol)).state).toBe("approved");
  });

  it("refuses the requester (self-approval)", () => {
    expectRefused(
      apply(awaitingApproval(), approve(user(requester.id, "approver"))),
      "self_approval_requester",
    );
  });

  it("refuses the creator of the API key that requested it (no self-approval through a CI key)", () => {
    const created = createPromotionRequest(
      { ...baseInput, requester: ciKey, apiKeyCreatorId: alice.id },
      { now: T0 },
    );
    const { request } = expectAccepted(created);
    expect(request).toMatchObject({ requesterId: ciKey.id, requesterUserId: alice.id });
    const waiting = step(request, { type: "gates_finished", results: [] });
    expectRefused(apply(waiting, approve(alice)), "self_approval_requester");
    expect(step(waiting, approve(bob)).decisions).toHaveLength(1);
  });

  it("refuses the version's creator, whatever their role", () => {
    expectRefused(
      apply(awaitingApproval(), approve(user(creator.id, "admin"))),
      "self_approval_creator",
    );
  });

  it("refuses an approval bound to a different artifact digest", () => {
    expectRefused(apply(awaitingApproval(), approve(alice, "ok", OTHER_DIGEST)), "digest_mismatch");
    expectRefused(
      apply(awaitingApproval(), approve(alice, "ok", "not-a-digest")),
      "digest_mismatch",
    );
  });

  it("accepts the same digest written in capitals", () => {
    expect(
      step(awaitingApproval(), approve(alice, "ok", DIGEST.toUpperCase())).decisions[0]
        ?.artifactDigest,
    ).toBe(DIGEST);
  });

  it("refuses a second decision by the same approver", () => {
    const once = step(awaitingApproval(), approve(alice));
    expectRefused(apply(once, approve(alice)), "already_decided");
    expectRefused(apply(once, reject(alice)), "already_decided");
  });

  it.each([
    ["a viewer", victor],
    ["an ml_engineer on production", dave],
  ])("refuses %s", (_label, actor) => {
    expectRefused(apply(awaitingApproval(), approve(actor)), "role_not_eligible");
  });

  it("refuses an ml_engineer on staging unless the policy allows it", () => {
    expectRefused(apply(awaitingApproval(policy("staging")), approve(dave)), "role_not_eligible");
    const allowed = awaitingApproval(policy("staging", { allowMlEngineerApproval: true }));
    expect(step(allowed, approve(dave)).state).toBe("approved");
  });

  it("refuses an approver when the policy names only admins", () => {
    expectRefused(
      apply(awaitingApproval(policy("production", { approverRoles: ["admin"] })), approve(alice)),
      "role_not_eligible",
    );
  });

  it("refuses API keys and the system", () => {
    expectRefused(apply(awaitingApproval(), approve(ciKey)), "actor_not_user");
    expectRefused(apply(awaitingApproval(), approve(SYSTEM_ACTOR)), "actor_not_user");
  });

  it("requires a comment", () => {
    expectRefused(apply(awaitingApproval(), approve(alice, "  ")), "comment_required");
  });

  it("over a failed fairness gate, records the justification as an override", () => {
    const waiting = step(
      newRequest(policy("staging")),
      { type: "gates_finished", results: [gateResult("fail", "require_override")] },
      at(0),
    );
    const blank = apply(waiting, approve(alice, ""));
    expectRefused(blank, "comment_required");
    if (!blank.ok) expect(blank.error.message).toMatch(/justification/);
    const { request } = expectAccepted(
      apply(waiting, approve(alice, "Group gap explained by base rates.")),
    );
    expect(request.state).toBe("approved");
    expect(request.decisions[0]?.overridesFailedGates).toBe(true);
  });

  it("refuses an approval after the expiry time, before the expiry event lands", () => {
    expectRefused(apply(awaitingApproval(), approve(alice), at(72)), "request_expired");
  });

  it("refuses an approval while checks run and once approved", () => {
    expectRefused(apply(newRequest(), approve(alice)), "invalid_transition");
    const approved = step(step(awaitingApproval(), approve(alice)), approve(bob));
    expectRefused(apply(approved, approve(erin)), "invalid_transition");
  });

  it("refuses an approval after a terminal state", () => {
    const rejected = step(awaitingApproval(), reject(alice));
    expectRefused(apply(rejected, approve(bob)), "terminal_state");
  });
});

describe("reject", () => {
  it("a veto after one approval -> rejected, whatever the count", () => {
    const once = step(awaitingApproval(), approve(alice));
    const { request, effects } = expectAccepted(apply(once, reject(bob, "Slice EU regressed.")));
    expect(request).toMatchObject({ state: "rejected", closedReason: "Slice EU regressed." });
    expect(request.decisions.map((d) => d.decision)).toEqual(["approve", "reject"]);
    expect(auditActions(effects)).toEqual(["promotion.rejected"]);
    expect(isQuorumReached(request)).toBe(false);
  });

  it("follows the approver rules: no requester, no creator, eligible role, digest, comment", () => {
    const waiting = awaitingApproval();
    expectRefused(
      apply(waiting, reject(user(requester.id, "approver"))),
      "self_approval_requester",
    );
    expectRefused(apply(waiting, reject(user(creator.id, "approver"))), "self_approval_creator");
    expectRefused(apply(waiting, reject(victor)), "role_not_eligible");
    expectRefused(apply(waiting, reject(alice, "no", OTHER_DIGEST)), "digest_mismatch");
    expectRefused(apply(waiting, reject(alice, "")), "comment_required");
  });
});

describe("expire", () => {
  it("is refused before the expiry time and accepted at it", () => {
    const waiting = awaitingApproval();
    expectRefused(apply(waiting, { type: "expire" }, at(71.9)), "not_expired_yet");
    const { request, effects } = expectAccepted(apply(waiting, { type: "expire" }, at(72)));
    expect(request.state).toBe("expired");
    expect(auditActions(effects)).toEqual(["promotion.expired"]);
  });

  it("keeps partial approvals on the record but closes the request", () => {
    const once = step(awaitingApproval(), approve(alice));
    const expired = step(once, { type: "expire" }, at(100));
    expect(expired.decisions).toHaveLength(1);
    expectRefused(apply(expired, approve(bob), at(100)), "terminal_state");
  });

  it("applies only while awaiting approval", () => {
    expectRefused(apply(newRequest(), { type: "expire" }, at(1000)), "invalid_transition");
  });
});

describe("cancel", () => {
  it.each([
    ["the requester", requester],
    ["an admin", carol],
  ])("by %s -> cancelled", (_label, actor) => {
    const { request, effects } = expectAccepted(
      apply(awaitingApproval(), { type: "cancel", actor, reason: "superseded" }),
    );
    expect(request).toMatchObject({ state: "cancelled", closedReason: "superseded" });
    expect(auditActions(effects)).toEqual(["promotion.cancelled"]);
  });

  it("refuses anyone else, even an approver", () => {
    expectRefused(
      apply(awaitingApproval(), { type: "cancel", actor: alice }),
      "not_requester_or_admin",
    );
    expectRefused(
      apply(awaitingApproval(), { type: "cancel", actor: creator }),
      "not_requester_or_admin",
    );
  });

  it("lets a CI key cancel the request it made", () => {
    const created = createPromotionRequest({ ...baseInput, requester: ciKey }, { now: T0 });
    if (!created.ok) throw new Error("setup");
    expect(step(created.request, { type: "cancel", actor: ciKey }).state).toBe("cancelled");
    expectRefused(
      apply(created.request, { type: "cancel", actor: { type: "api_key", id: "key-other" } }),
      "not_requester_or_admin",
    );
  });

  it("works while checks run and once approved, not while deploying", () => {
    expect(step(newRequest(), { type: "cancel", actor: requester }).state).toBe("cancelled");
    const approved = step(step(awaitingApproval(), approve(alice)), approve(bob));
    expect(step(approved, { type: "cancel", actor: requester }).state).toBe("cancelled");
    const deploying = step(approved, { type: "deploy_started" });
    expectRefused(apply(deploying, { type: "cancel", actor: carol }), "invalid_transition");
  });
});

describe("invalidate (staleness)", () => {
  it.each(INVALIDATION_CAUSES)("%s -> stale, and every approval is void", (cause) => {
    const once = step(awaitingApproval(), approve(alice));
    const { request, effects } = expectAccepted(
      apply(once, { type: "invalidate", cause, detail: "new hash" }),
    );
    expect(request.state).toBe("stale");
    expect(request.closedReason).toBe(`${cause}: new hash`);
    expect(request.decisions.every((d) => d.voided)).toBe(true);
    expect(isQuorumReached({ ...request, requiredApprovals: 1 })).toBe(false);
    expect(effects[0]).toEqual({ kind: "void_decisions", approverIds: [alice.id] });
    expect(auditActions(effects)).toEqual(["promotion.stale"]);
  });

  it("voids nothing when nobody had decided, and applies while checks run", () => {
    const { request, effects } = expectAccepted(
      apply(newRequest(), { type: "invalidate", cause: "evaluations_changed" }),
    );
    expect(request.state).toBe("stale");
    expect(effects.some((effect) => effect.kind === "void_decisions")).toBe(false);
  });

  it("makes an approved, not yet deploying, request stale", () => {
    const approved = step(step(awaitingApproval(), approve(alice)), approve(bob));
    const stale = step(approved, { type: "invalidate", cause: "policy_changed" });
    expect(stale.state).toBe("stale");
    expect(stale.decisions.filter((d) => !d.voided)).toHaveLength(0);
  });

  it("no longer applies once deploying", () => {
    const deploying = step(step(step(awaitingApproval(), approve(alice)), approve(bob)), {
      type: "deploy_started",
    });
    expectRefused(
      apply(deploying, { type: "invalidate", cause: "model_card_changed" }),
      "invalid_transition",
    );
  });
});

describe("break-glass", () => {
  it("an admin alone with a reason -> approved, flagged, admins and approvers told", () => {
    const { request, effects } = expectAccepted(
      apply(
        awaitingApproval(),
        { type: "break_glass", actor: carol, reason: "  Incident 42: fraud spike.  " },
        at(3),
      ),
    );
    expect(request).toMatchObject({
      state: "approved",
      approvedVia: "break_glass",
      breakGlass: { actorId: carol.id, reason: "Incident 42: fraud spike.", at: at(3).now },
    });
    expect(auditActions(effects)).toEqual(["promotion.break_glass", "promotion.approved"]);
    expect(outboxTypes(effects)).toEqual(["promotion.break_glass", "promotion.approved"]);
    expect(effects).toContainEqual({
      kind: "notify",
      audience: "admins",
      reason: "break-glass approval",
    });
  });

  it("also applies while checks are still running", () => {
    expect(step(newRequest(), { type: "break_glass", actor: carol, reason: "outage" }).state).toBe(
      "approved",
    );
  });

  it("refuses a missing or blank reason", () => {
    expectRefused(
      apply(awaitingApproval(), { type: "break_glass", actor: carol, reason: "" }),
      "break_glass_reason_required",
    );
    expectRefused(
      apply(awaitingApproval(), { type: "break_glass", actor: carol, reason: " \n\t" }),
      "break_glass_reason_required",
    );
  });

  it.each([
    ["an approver", alice],
    ["an ml_engineer", dave],
    ["a CI key", ciKey],
  ])("refuses %s", (_label, actor) => {
    expectRefused(
      apply(awaitingApproval(), { type: "break_glass", actor, reason: "urgent" }),
      "break_glass_requires_admin",
    );
  });

  it("cannot reopen a failed check (terminal)", () => {
    const failed = step(newRequest(), { type: "gates_finished", results: [gateResult("fail")] });
    expectRefused(
      apply(failed, { type: "break_glass", actor: carol, reason: "urgent" }),
      "terminal_state",
    );
  });

  it("moves the alias flagged as break-glass when the deployment finishes", () => {
    const approved = step(awaitingApproval(), {
      type: "break_glass",
      actor: carol,
      reason: "outage",
    });
    const deploying = step(approved, { type: "deploy_started" });
    const { effects } = expectAccepted(apply(deploying, { type: "deploy_finished" }));
    expect(effects[0]).toEqual({
      kind: "move_alias",
      alias: "production",
      modelVersionId: "mv-7",
      via: "break_glass",
    });
  });
});

describe("deployment", () => {
  const approved = (): PromotionRequest =>
    step(step(awaitingApproval(), approve(alice)), approve(bob));

  it("approved -> deploying -> promoted, and the protected alias moves", () => {
    const started = expectAccepted(
      apply(approved(), { type: "deploy_started", deploymentId: "dep-1" }),
    );
    expect(started.request.state).toBe("deploying");
    expect(auditActions(started.effects)).toEqual(["promotion.deploying"]);
    expect(started.effects[0]).toMatchObject({ kind: "audit", reason: "deployment dep-1" });
    const finished = expectAccepted(apply(started.request, { type: "deploy_finished" }));
    expect(finished.request.state).toBe("promoted");
    expect(finished.effects[0]).toEqual({
      kind: "move_alias",
      alias: "production",
      modelVersionId: "mv-7",
      via: "promotion",
    });
    expect(auditActions(finished.effects)).toEqual(["alias.moved", "promotion.promoted"]);
    expect(outboxTypes(finished.effects)).toEqual(["alias.moved", "promotion.promoted"]);
  });

  it("deploying -> rolled_back leaves the alias where it was", () => {
    const deploying = step(approved(), { type: "deploy_started" });
    const { request, effects } = expectAccepted(
      apply(deploying, { type: "deploy_rolled_back", actor: alice, reason: "error rate doubled" }),
    );
    expect(request).toMatchObject({ state: "rolled_back", closedReason: "error rate doubled" });
    expect(effects.some((effect) => effect.kind === "move_alias")).toBe(false);
    expect(effects.find((effect) => effect.kind === "audit")).toMatchObject({ actor: alice });
  });

  it("refuses deployment events out of order", () => {
    expectRefused(apply(awaitingApproval(), { type: "deploy_started" }), "invalid_transition");
    expectRefused(apply(approved(), { type: "deploy_finished" }), "invalid_transition");
    expectRefused(
      apply(approved(), { type: "deploy_rolled_back", reason: "x" }),
      "invalid_transition",
    );
    expectRefused(
      apply(step(approved(), { type: "deploy_started" }), { type: "deploy_started" }),
      "invalid_transition",
    );
  });
});

describe("terminal states", () => {
  const waiting = awaitingApproval();
  const deploying = step(step(step(waiting, approve(alice)), approve(bob)), {
    type: "deploy_started",
  });
  const terminal: Record<(typeof TERMINAL_PROMOTION_STATES)[number], PromotionRequest> = {
    checks_failed: step(newRequest(), { type: "gates_finished", results: [gateResult("fail")] }),
    rejected: step(waiting, reject(alice)),
    expired: step(waiting, { type: "expire" }, at(72)),
    cancelled: step(waiting, { type: "cancel", actor: requester }),
    stale: step(waiting, { type: "invalidate", cause: "artifact_changed" }),
    promoted: step(deploying, { type: "deploy_finished" }),
    rolled_back: step(deploying, { type: "deploy_rolled_back", reason: "x" }),
  };
  const everyEvent: PromotionEvent[] = [
    { type: "gates_finished", results: [gateResult("pass")] },
    approve(erin),
    reject(erin),
    { type: "expire" },
    { type: "cancel", actor: carol },
    { type: "invalidate", cause: "policy_changed" },
    { type: "break_glass", actor: carol, reason: "urgent" },
    { type: "deploy_started" },
    { type: "deploy_finished" },
    { type: "deploy_rolled_back", reason: "x" },
  ];

  it("lists exactly the states nothing leaves", () => {
    expect(PROMOTION_STATES.filter(isTerminalPromotionState).sort()).toEqual(
      [...TERMINAL_PROMOTION_STATES].sort(),
    );
    expect(Object.keys(terminal).sort()).toEqual([...TERMINAL_PROMOTION_STATES].sort());
  });

  for (const [state, request] of Object.entries(terminal)) {
    it(`${state} refuses every event with terminal_state`, () => {
      expect(request.state).toBe(state as PromotionState);
      for (const event of everyEvent)
        expectRefused(apply(request, event, at(500)), "terminal_state");
    });
  }
});

describe("purity and locking", () => {
  it("never mutates its input and bumps version by exactly one per accepted event", () => {
    const waiting = deepFreeze(awaitingApproval());
    const once = step(waiting, approve(alice));
    expect(waiting.decisions).toHaveLength(0);
    expect(once.version).toBe(waiting.version + 1);
    expect(once.updatedAt).toEqual(at(1).now);
    const twice = step(deepFreeze(once), approve(bob), at(2));
    expect(twice.version).toBe(once.version + 1);
  });

  it("a refusal returns no request, so the caller has nothing to write", () => {
    const refused = applyPromotionEvent(awaitingApproval(), approve(victor), at(1));
    expect(refused).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "role_not_eligible" }) as unknown,
    });
  });

  it("replaying an event against a reloaded request after a lost race is refused, not double counted", () => {
    // Two approvers read version 2; Alice commits first. Bob's write fails the version check,
    // he reloads (version 3, with Alice's approval) and re-applies: one more approval, not two.
    const read = awaitingApproval();
    const afterAlice = step(read, approve(alice));
    const bobOnStale = step(read, approve(bob));
    expect(bobOnStale.version).toBe(afterAlice.version);
    const bobOnReload = step(afterAlice, approve(bob));
    expect(bobOnReload.decisions.map((d) => d.approverId)).toEqual([alice.id, bob.id]);
    expectRefused(apply(afterAlice, approve(alice)), "already_decided");
  });
});
