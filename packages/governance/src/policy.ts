import { z } from "zod";

import { sha256OfCanonicalJson } from "./canonical-json";
import { DEFAULT_MIN_GROUP_SIZE } from "./fairness";
import { DEFAULT_GATE_RULES, gateRuleSchema } from "./gate-rules";
import type { Role } from "./roles";

/** Environment tiers (spec, data model: `environments` dev / staging / production). */
export const ENVIRONMENT_KINDS = ["development", "staging", "production"] as const;

export const environmentKindSchema = z.enum(ENVIRONMENT_KINDS);

export type EnvironmentKind = z.infer<typeof environmentKindSchema>;

/** Default approval TTL: an open request expires three days after it starts waiting. */
export const DEFAULT_APPROVAL_TTL_HOURS = 72;

/**
 * A per-environment gate policy (`gate_policies`). The rules of the spec's role matrix that no
 * policy may loosen are refinements here, so an invalid policy cannot be stored:
 * - production needs at least one approval and never lets an ml_engineer approve;
 * - approvers are `approver` and/or `admin`; `allowMlEngineerApproval` adds `ml_engineer` on
 *   staging and development only ("if the policy allows, never own");
 * - there is no self-approval switch: the requester and the version's creator never approve.
 */
export const gatePolicySchema = z
  .object({
    environment: environmentKindSchema,
    rules: z.array(gateRuleSchema).default([...DEFAULT_GATE_RULES]),
    requiredApprovals: z.number().int().min(0).max(10),
    approverRoles: z
      .array(z.enum(["approver", "admin"]))
      .min(1)
      .default(["approver", "admin"]),
    allowMlEngineerApproval: z.boolean().default(false),
    approvalTtlHours: z
      .number()
      .positive()
      .max(24 * 90)
      .default(DEFAULT_APPROVAL_TTL_HOURS),
    modelCardRequired: z.boolean().default(false),
    minGroupSize: z.number().int().positive().default(DEFAULT_MIN_GROUP_SIZE),
  })
  .superRefine((policy, context) => {
    if (policy.environment === "production" && policy.requiredApprovals < 1) {
      context.addIssue({
        code: "custom",
        path: ["requiredApprovals"],
        message: "production needs at least one approval",
      });
    }
    if (policy.environment === "production" && policy.allowMlEngineerApproval) {
      context.addIssue({
        code: "custom",
        path: ["allowMlEngineerApproval"],
        message: "an ml_engineer never approves a production promotion",
      });
    }
    const ids = policy.rules.map((rule) => rule.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["rules"],
        message: `duplicate rule id ${duplicate}`,
      });
    }
  });

export type GatePolicy = z.infer<typeof gatePolicySchema>;
export type GatePolicyInput = z.input<typeof gatePolicySchema>;

/**
 * The defaults a new project starts with: the spec's gate rules everywhere; production needs two
 * approvals (quorum), an approved model card, and approvers or admins; staging one approval;
 * development none (the system approves when every gate passes).
 */
export function defaultGatePolicy(environment: EnvironmentKind): GatePolicy {
  const requiredApprovals = { development: 0, staging: 1, production: 2 }[environment];
  return gatePolicySchema.parse({
    environment,
    requiredApprovals,
    modelCardRequired: environment === "production",
    rules: [
      ...DEFAULT_GATE_RULES,
      ...(environment === "production"
        ? [{ id: "model-card-complete", kind: "model_card_complete" }]
        : []),
    ],
  });
}

/**
 * The gate rules that actually run: the policy's own, plus a `model_card_complete` rule when the
 * policy requires a complete card and does not list one already.
 */
export function effectiveGateRules(policy: GatePolicy): GatePolicy["rules"] {
  const hasCardRule = policy.rules.some((rule) => rule.kind === "model_card_complete");
  return policy.modelCardRequired && !hasCardRule
    ? [...policy.rules, { id: "model-card-complete", kind: "model_card_complete", onFail: "block" }]
    : policy.rules;
}

/**
 * The roles that may approve or reject under this policy (spec, role matrix): production:
 * approver and admin only; staging and development add ml_engineer when the policy allows it.
 */
export function eligibleApproverRoles(policy: GatePolicy): readonly Role[] {
  const roles: Role[] = [...policy.approverRoles];
  if (policy.environment !== "production" && policy.allowMlEngineerApproval) {
    roles.push("ml_engineer");
  }
  return roles;
}

/**
 * A stable hash of a parsed policy (`sha256:<hex>` of its canonical JSON). A request snapshots it
 * at creation; a different hash later means the policy changed and open approvals are void
 * (state machine: `invalidate` with cause `policy_changed`). Parse before hashing so that
 * defaults are filled and two spellings of one policy hash alike.
 */
export function hashGatePolicy(policy: GatePolicy): string {
  return sha256OfCanonicalJson(policy);
}
