import { describe, expect, it } from "vitest";

import {
  DEFAULT_APPROVAL_TTL_HOURS,
  defaultGatePolicy,
  effectiveGateRules,
  eligibleApproverRoles,
  gatePolicySchema,
  hashGatePolicy,
} from "./policy";

describe("gatePolicySchema", () => {
  it("fills defaults: the spec's rules, approver and admin, 72 h TTL, groups of 30", () => {
    const parsed = gatePolicySchema.parse({ environment: "staging", requiredApprovals: 1 });
    expect(parsed).toMatchObject({
      approverRoles: ["approver", "admin"],
      allowMlEngineerApproval: false,
      approvalTtlHours: DEFAULT_APPROVAL_TTL_HOURS,
      modelCardRequired: false,
      minGroupSize: 30,
    });
    expect(parsed.rules.map((rule) => rule.id)).toContain("auc-vs-baseline");
  });

  it("refuses production without approvals, or with ml_engineer approval", () => {
    expect(
      gatePolicySchema.safeParse({ environment: "production", requiredApprovals: 0 }).success,
    ).toBe(false);
    expect(
      gatePolicySchema.safeParse({
        environment: "production",
        requiredApprovals: 2,
        allowMlEngineerApproval: true,
      }).success,
    ).toBe(false);
  });

  it("refuses ml_engineer or viewer as an approver role, and duplicate rule ids", () => {
    expect(
      gatePolicySchema.safeParse({
        environment: "staging",
        requiredApprovals: 1,
        approverRoles: ["ml_engineer"],
      }).success,
    ).toBe(false);
    const rule = { id: "card", kind: "model_card_complete" };
    expect(
      gatePolicySchema.safeParse({
        environment: "staging",
        requiredApprovals: 1,
        rules: [rule, rule],
      }).success,
    ).toBe(false);
  });
});

describe("defaultGatePolicy", () => {
  it("production: two approvals, model card required; staging one; development none", () => {
    expect(defaultGatePolicy("production")).toMatchObject({
      requiredApprovals: 2,
      modelCardRequired: true,
    });
    expect(defaultGatePolicy("staging")).toMatchObject({
      requiredApprovals: 1,
      modelCardRequired: false,
    });
    expect(defaultGatePolicy("development")).toMatchObject({ requiredApprovals: 0 });
  });
});

describe("effectiveGateRules", () => {
  it("adds a model card rule when the policy requires a card and lists none", () => {
    const policy = gatePolicySchema.parse({
      environment: "staging",
      requiredApprovals: 1,
      modelCardRequired: true,
    });
    expect(effectiveGateRules(policy).at(-1)).toMatchObject({ kind: "model_card_complete" });
    const production = defaultGatePolicy("production");
    expect(
      effectiveGateRules(production).filter((rule) => rule.kind === "model_card_complete"),
    ).toHaveLength(1);
  });
});

describe("eligibleApproverRoles", () => {
  it("production: approver and admin only", () => {
    expect(eligibleApproverRoles(defaultGatePolicy("production"))).toEqual(["approver", "admin"]);
  });

  it("staging adds ml_engineer only when the policy allows it", () => {
    expect(eligibleApproverRoles(defaultGatePolicy("staging"))).not.toContain("ml_engineer");
    const allowed = gatePolicySchema.parse({
      environment: "staging",
      requiredApprovals: 1,
      allowMlEngineerApproval: true,
    });
    expect(eligibleApproverRoles(allowed)).toEqual(["approver", "admin", "ml_engineer"]);
  });
});

describe("hashGatePolicy", () => {
  it("is stable across key order and changes with any setting", () => {
    const one = gatePolicySchema.parse({
      environment: "staging",
      requiredApprovals: 1,
      approvalTtlHours: 24,
    });
    const two = gatePolicySchema.parse({
      approvalTtlHours: 24,
      requiredApprovals: 1,
      environment: "staging",
    });
    expect(hashGatePolicy(one)).toBe(hashGatePolicy(two));
    expect(hashGatePolicy(one)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashGatePolicy({ ...one, requiredApprovals: 2 })).not.toBe(hashGatePolicy(one));
    const tighter = {
      ...one,
      rules: one.rules.map((rule) => (rule.kind === "fairness" ? { ...rule, value: 0.9 } : rule)),
    };
    expect(hashGatePolicy(tighter)).not.toBe(hashGatePolicy(one));
  });
});
