import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  alice,
  bob,
  carol,
  ciKey,
  creator,
  dave,
  DIGEST,
  erin,
  gateResult,
  newRequest,
  OTHER_DIGEST,
  policy,
  requester,
  T0,
  user,
  victor,
} from "../test/promotion-fixtures";
import type { GatePolicy } from "./policy";
import type { PromotionEvent, PromotionRequest } from "./promotion-state-machine";
import type { Actor } from "./roles";
import {
  applyPromotionEvent,
  countedApprovals,
  INVALIDATION_CAUSES,
  isQuorumReached,
  isTerminalPromotionState,
} from "./promotion-state-machine";

const actors = [
  alice,
  bob,
  carol,
  erin,
  dave,
  victor,
  ciKey,
  requester,
  creator,
  user(creator.id, "admin"),
];
const actor = fc.constantFrom(...actors);
const gateOutcome = fc.constantFrom("pass", "fail", "inconclusive", "error" as const);

// Decisions are weighted up so that runs reach quorum, vetoes and deployments, not only the
// early exits (cancel, staleness) that any single event can trigger.
const event: fc.Arbitrary<PromotionEvent> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(gateOutcome, fc.constantFrom("block", "require_override" as const)), {
        maxLength: 3,
      })
      .map((results) => ({
        type: "gates_finished" as const,
        results: results.map(([outcome, onFail]) => gateResult(outcome, onFail)),
      })),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      type: fc.constantFrom("approve", "approve", "approve", "reject" as const),
      actor,
      artifactDigest: fc.constantFrom(DIGEST, DIGEST, OTHER_DIGEST),
      comment: fc.constantFrom("ok", "", "because"),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: "expire" as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("cancel" as const), actor }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("invalidate" as const),
      cause: fc.constantFrom(...INVALIDATION_CAUSES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("break_glass" as const),
      actor,
      reason: fc.constantFrom("", "incident"),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ type: "deploy_started" as const }) },
  { weight: 2, arbitrary: fc.constant({ type: "deploy_finished" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("deploy_rolled_back" as const),
      reason: fc.constant("bad canary"),
    }),
  },
);

/** Half the runs start with every gate passed, so that they begin in awaiting_approval. */
const events = fc
  .tuple(fc.boolean(), fc.array(event, { minLength: 1, maxLength: 25 }))
  .map(([gatesFirst, rest]): PromotionEvent[] =>
    gatesFirst ? [{ type: "gates_finished", results: [gateResult("pass")] }, ...rest] : rest,
  );

const environmentPolicy = fc.constantFrom(
  policy("production"),
  policy("production", { requiredApprovals: 1 }),
  policy("production", { requiredApprovals: 3 }),
  policy("staging"),
  policy("staging", { allowMlEngineerApproval: true, requiredApprovals: 2 }),
  policy("development"),
);

/** Runs a random event sequence, checking the invariants after every step. */
/** The role matrix, restated independently of the code under test. */
function isEligible(gatePolicy: GatePolicy, candidate: Actor): boolean {
  if (candidate.type !== "user") return false;
  if (candidate.id === requester.id || candidate.id === creator.id) return false;
  if (candidate.role === "approver" || candidate.role === "admin") {
    return gatePolicy.approverRoles.includes(candidate.role);
  }
  return (
    candidate.role === "ml_engineer" &&
    gatePolicy.environment !== "production" &&
    gatePolicy.allowMlEngineerApproval
  );
}

const reached = new Set<string>();

function run(start: PromotionRequest, sequence: PromotionEvent[], hoursApart: number[]): void {
  let request = start;
  const eligible = new Set(
    actors
      .filter((candidate) => isEligible(start.policy, candidate))
      .map((candidate) => candidate.id),
  );
  let elapsedHours = 0;
  sequence.forEach((next, index) => {
    elapsedHours += hoursApart[index] ?? 1;
    const now = new Date(T0.getTime() + elapsedHours * 3_600_000);
    const result = applyPromotionEvent(request, next, { now });
    if (isTerminalPromotionState(request.state)) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("terminal_state");
      return;
    }
    if (!result.ok) return;
    const after = result.request;
    expect(after.version).toBe(request.version + 1);

    const approvers = countedApprovals(after).map((decision) => decision.approverId);
    expect(new Set(approvers).size).toBe(approvers.length);
    expect(approvers.length).toBeLessThanOrEqual(eligible.size);
    for (const id of approvers) expect(eligible.has(id)).toBe(true);
    const deciders = after.decisions.map((decision) => decision.approverId);
    expect(new Set(deciders).size).toBe(deciders.length);
    for (const decision of after.decisions)
      expect(decision.artifactDigest).toBe(after.artifactDigest);

    if (after.state === "approved" && request.state !== "approved") {
      if (after.approvedVia === "quorum") expect(isQuorumReached(after)).toBe(true);
      if (after.approvedVia === "break_glass") expect(after.breakGlass?.reason.trim()).not.toBe("");
      if (after.approvedVia === "system") expect(after.policy.requiredApprovals).toBe(0);
    }
    if (after.state === "stale") expect(countedApprovals(after)).toHaveLength(0);
    reached.add(`${after.state}/${after.approvedVia ?? "-"}`);
    request = after;
  });
}

describe("promotion state machine properties", () => {
  it("approvals never exceed distinct eligible approvers; terminal states never change", () => {
    fc.assert(
      fc.property(
        environmentPolicy,
        events,
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 26, maxLength: 26 }),
        (gatePolicy, sequence, hours) => run(newRequest(gatePolicy), sequence, hours),
      ),
      // A fixed seed keeps the coverage check below deterministic in CI.
      { numRuns: 1000, seed: 20250301 },
    );
    // The runs must have exercised the interesting paths, or the invariants above prove little.
    for (const path of [
      "approved/quorum",
      "rejected/-",
      "stale/-",
      "expired/-",
      "promoted/quorum",
      "approved/system",
      "approved/break_glass",
    ]) {
      expect(reached).toContain(path);
    }
  });

  it("a move_alias effect appears only on deploy_finished", () => {
    fc.assert(
      fc.property(environmentPolicy, events, (gatePolicy, sequence) => {
        let request = newRequest(gatePolicy);
        for (const next of sequence) {
          const result = applyPromotionEvent(request, next, { now: T0 });
          if (!result.ok) continue;
          const moves = result.effects.filter((effect) => effect.kind === "move_alias");
          expect(moves.length).toBe(next.type === "deploy_finished" ? 1 : 0);
          request = result.request;
        }
      }),
      { numRuns: 300 },
    );
  });
});
