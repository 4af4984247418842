import type { GateResult } from "../src/gates";
import type { EnvironmentKind, GatePolicy, GatePolicyInput } from "../src/policy";
import { defaultGatePolicy, gatePolicySchema } from "../src/policy";
import type {
  PromotionContext,
  PromotionEvent,
  PromotionRequest,
  PromotionTransition,
} from "../src/promotion-state-machine";
import { applyPromotionEvent, createPromotionRequest } from "../src/promotion-state-machine";
import type { Actor, Role } from "../src/roles";

export const DIGEST = `sha256:${"a".repeat(64)}`;
export const OTHER_DIGEST = `sha256:${"b".repeat(64)}`;
export const T0 = new Date("2025-03-01T09:00:00.000Z");
export const HOUR = 3_600_000;

export function user(id: string, role: Role): Actor {
  return { type: "user", id, role };
}

export const requester = user("u-requester", "ml_engineer");
export const creator = user("u-creator", "ml_engineer");
export const alice = user("u-alice", "approver");
export const bob = user("u-bob", "approver");
export const carol = user("u-carol", "admin");
export const erin = user("u-erin", "admin");
export const dave = user("u-dave", "ml_engineer");
export const victor = user("u-victor", "viewer");
export const ciKey: Actor = { type: "api_key", id: "key-ci" };

export function policy(
  environment: EnvironmentKind,
  overrides: Partial<GatePolicyInput> = {},
): GatePolicy {
  return gatePolicySchema.parse({ ...defaultGatePolicy(environment), ...overrides });
}

export function newRequest(policyUnderTest: GatePolicy = policy("production")): PromotionRequest {
  const created = createPromotionRequest(
    {
      id: "req-1",
      modelVersionId: "mv-7",
      versionStatus: "ready",
      versionCreatorId: creator.id,
      artifactDigest: DIGEST,
      environment: policyUnderTest.environment,
      targetAlias: policyUnderTest.environment,
      requester,
      policy: policyUnderTest,
      justification: "Better AUC on the Q1 holdout.",
      openRequestExists: false,
    },
    { now: T0 },
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.request;
}

export function gateResult(
  outcome: GateResult["outcome"],
  onFail: GateResult["onFail"] = "block",
  message = `rule ${outcome}`,
): GateResult {
  return {
    ruleId: `rule-${outcome}-${onFail}`,
    rule: { id: `rule-${outcome}-${onFail}`, kind: "model_card_complete", onFail },
    subject: null,
    observed: null,
    threshold: null,
    comparator: null,
    outcome,
    onFail,
    message,
  };
}

export function at(hours: number): PromotionContext {
  return { now: new Date(T0.getTime() + hours * HOUR) };
}

export function apply(
  request: PromotionRequest,
  event: PromotionEvent,
  context: PromotionContext = at(1),
): PromotionTransition {
  return applyPromotionEvent(request, event, context);
}

/** Applies an event that must be accepted and returns the next request. */
export function step(
  request: PromotionRequest,
  event: PromotionEvent,
  context: PromotionContext = at(1),
): PromotionRequest {
  const result = applyPromotionEvent(request, event, context);
  if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code}`);
  return result.request;
}

export function awaitingApproval(
  policyUnderTest: GatePolicy = policy("production"),
): PromotionRequest {
  return step(
    newRequest(policyUnderTest),
    { type: "gates_finished", results: [gateResult("pass")] },
    at(0),
  );
}

export function approve(
  actor: Actor,
  comment = "Looks good.",
  artifactDigest = DIGEST,
): PromotionEvent {
  return { type: "approve", actor, artifactDigest, comment };
}

export function reject(
  actor: Actor,
  comment = "Fairness regressed.",
  artifactDigest = DIGEST,
): PromotionEvent {
  return { type: "reject", actor, artifactDigest, comment };
}
