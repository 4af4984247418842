import {
  FAIRNESS_METRIC_LABELS,
  type ApproverRole,
  type Comparator,
  type EnvironmentKind,
  type EvaluationKind,
  type FairnessMetric,
  type GateFailureMode,
  type GatePolicy,
  type GateRule,
  type GateRuleKind,
} from "./gate-rule-text";

/**
 * The policy form's state: numbers stay text until saved, so that a half-typed value can be named
 * in a message instead of silently becoming 0. Every rule keeps every field, so switching a rule
 * between kinds (for example baseline to threshold) keeps what was typed.
 */
export interface RuleDraft {
  /** React's key; never sent. */
  key: string;
  kind: GateRuleKind;
  /** Empty: derived from the rule when saved (see {@link suggestedRuleId}). */
  id: string;
  metric: string;
  slice: string;
  comparator: Comparator;
  /** `value` of a threshold or fairness rule. */
  threshold: string;
  /** `delta` of a baseline rule: the tolerance. */
  delta: string;
  fairnessMetric: FairnessMetric;
  sensitiveFeature: string;
  /** Empty: the policy's minimum group size applies. */
  minGroupSize: string;
  evaluationKind: EvaluationKind;
  onFail: GateFailureMode;
}

export interface PolicyDraft {
  requiredApprovals: string;
  approverRoles: ApproverRole[];
  allowMlEngineerApproval: boolean;
  approvalTtlHours: string;
  modelCardRequired: boolean;
  minGroupSize: string;
  rules: RuleDraft[];
}

export type RuleField =
  "id" | "metric" | "slice" | "threshold" | "delta" | "sensitiveFeature" | "minGroupSize";

export interface PolicyErrors {
  requiredApprovals?: string;
  approverRoles?: string;
  approvalTtlHours?: string;
  minGroupSize?: string;
  /** By rule key. */
  rules: Record<string, Partial<Record<RuleField, string>>>;
}

/** The policy as `promotions.upsertPolicy` takes it (the environment is named beside it). */
export type PolicyInput = Omit<GatePolicy, "environment">;

// gatePolicySchema's limits.
export const MAX_APPROVALS = 10;
export const MAX_APPROVAL_TTL_HOURS = 24 * 90;
const RULE_ID_MAX = 100;

let nextKey = 0;
const newKey = () => `rule-${++nextKey}`;

const BLANK_RULE: Omit<RuleDraft, "key" | "kind"> = {
  id: "",
  metric: "",
  slice: "",
  comparator: ">=",
  threshold: "",
  delta: "0.01",
  fairnessMetric: "demographic_parity_ratio",
  sensitiveFeature: "",
  minGroupSize: "",
  evaluationKind: "schema_validation",
  onFail: "block",
};

/** A new rule of a kind, with the spec's usual starting values. */
export function newRuleDraft(kind: GateRuleKind): RuleDraft {
  const rule: RuleDraft = { ...BLANK_RULE, key: newKey(), kind };
  if (kind === "fairness") {
    return { ...rule, threshold: "0.8", onFail: "require_override" };
  }
  return rule;
}

export function ruleDraftFrom(rule: GateRule): RuleDraft {
  const draft: RuleDraft = { ...BLANK_RULE, key: newKey(), kind: rule.kind, id: rule.id };
  draft.onFail = rule.onFail;
  switch (rule.kind) {
    case "metric_vs_baseline":
      return {
        ...draft,
        metric: rule.metric,
        slice: rule.slice ?? "",
        comparator: rule.comparator,
        delta: String(rule.delta),
      };
    case "metric_threshold":
      return {
        ...draft,
        metric: rule.metric,
        slice: rule.slice ?? "",
        comparator: rule.comparator,
        threshold: String(rule.value),
      };
    case "fairness":
      return {
        ...draft,
        fairnessMetric: rule.metric,
        sensitiveFeature: rule.sensitiveFeature ?? "",
        comparator: rule.comparator,
        threshold: String(rule.value),
        minGroupSize: rule.minGroupSize === undefined ? "" : String(rule.minGroupSize),
      };
    case "evaluation_outcome":
      return { ...draft, evaluationKind: rule.evaluationKind };
    case "model_card_complete":
      return draft;
  }
}

export function policyDraftFrom(policy: GatePolicy): PolicyDraft {
  return {
    requiredApprovals: String(policy.requiredApprovals),
    approverRoles: [...policy.approverRoles],
    allowMlEngineerApproval: policy.allowMlEngineerApproval,
    approvalTtlHours: String(policy.approvalTtlHours),
    modelCardRequired: policy.modelCardRequired,
    minGroupSize: String(policy.minGroupSize),
    rules: policy.rules.map(ruleDraftFrom),
  };
}

/** The ID a rule gets when its ID field is left empty: `auc-vs-baseline`, `demographic-parity-ratio`. */
function suggestedRuleId(rule: RuleDraft): string {
  const slug = (text: string) =>
    text
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  switch (rule.kind) {
    case "metric_vs_baseline":
      return `${slug(rule.metric) || "metric"}-vs-baseline`;
    case "metric_threshold":
      return `${slug(rule.metric) || "metric"}-threshold`;
    case "fairness":
      return [slug(FAIRNESS_METRIC_LABELS[rule.fairnessMetric]), slug(rule.sensitiveFeature)]
        .filter(Boolean)
        .join("-");
    case "evaluation_outcome":
      return slug(rule.evaluationKind);
    case "model_card_complete":
      return "model-card-complete";
  }
}

/** Parses a decimal the way a person types it; empty or anything else is `null`. */
function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function parseWholeNumber(text: string): number | null {
  const value = parseNumber(text);
  return value !== null && Number.isInteger(value) ? value : null;
}

/**
 * Checks the draft the way governance's `gatePolicySchema` will, with messages that name the
 * field and the problem, and builds the policy when there is none. The server validates again.
 */
export function validatePolicyDraft(
  draft: PolicyDraft,
  environment: EnvironmentKind,
): {
  errors: PolicyErrors;
  count: number;
  /** By rule key: the ID each rule is saved with. */
  ruleIds: Record<string, string>;
  policy: PolicyInput | null;
} {
  const errors: PolicyErrors = { rules: {} };
  const ruleIds: Record<string, string> = {};
  let count = 0;
  const fail = <K extends Exclude<keyof PolicyErrors, "rules">>(field: K, message: string) => {
    errors[field] = message;
    count += 1;
  };

  const requiredApprovals = parseWholeNumber(draft.requiredApprovals);
  if (requiredApprovals === null || requiredApprovals < 0 || requiredApprovals > MAX_APPROVALS) {
    fail("requiredApprovals", `Enter a whole number of approvals from 0 to ${MAX_APPROVALS}.`);
  } else if (environment === "production" && requiredApprovals < 1) {
    fail("requiredApprovals", "Production needs at least one approval.");
  }
  if (draft.approverRoles.length === 0) {
    fail("approverRoles", "Choose who approves: approvers, admins or both.");
  }
  const approvalTtlHours = parseNumber(draft.approvalTtlHours);
  if (
    approvalTtlHours === null ||
    approvalTtlHours <= 0 ||
    approvalTtlHours > MAX_APPROVAL_TTL_HOURS
  ) {
    fail(
      "approvalTtlHours",
      `Enter the approval expiry in hours: more than 0, at most ${MAX_APPROVAL_TTL_HOURS} (90 days).`,
    );
  }
  const minGroupSize = parseWholeNumber(draft.minGroupSize);
  if (minGroupSize === null || minGroupSize < 1) {
    fail("minGroupSize", "Enter the minimum group size as a whole number of rows, at least 1.");
  }

  const rules: GateRule[] = [];
  const usedIds = new Map<string, number>();
  draft.rules.forEach((rule, index) => {
    const ruleErrors: Partial<Record<RuleField, string>> = {};
    const ruleFail = (field: RuleField, message: string) => {
      ruleErrors[field] = message;
      count += 1;
    };
    let id = rule.id.trim();
    if (id.length > RULE_ID_MAX) ruleFail("id", `Keep the ID to ${RULE_ID_MAX} characters.`);
    if (id === "") {
      // A derived ID never collides: the second `auc-threshold` becomes `auc-threshold-2`.
      const base = suggestedRuleId(rule);
      id = base;
      for (let n = 2; usedIds.has(id) || draft.rules.some((other) => other.id.trim() === id); n++) {
        id = `${base}-${n}`;
      }
    } else if (usedIds.has(id)) {
      ruleFail("id", `Rule ${usedIds.get(id)} already uses the ID “${id}”; IDs must be unique.`);
    }
    usedIds.set(id, index + 1);
    ruleIds[rule.key] = id;

    const onFail = rule.onFail;
    switch (rule.kind) {
      case "metric_vs_baseline":
      case "metric_threshold": {
        const metric = rule.metric.trim();
        if (metric === "") ruleFail("metric", "Enter the metric's name, for example auc.");
        const slice = rule.slice.trim() === "" ? null : rule.slice.trim();
        if (rule.kind === "metric_vs_baseline") {
          const delta = parseNumber(rule.delta);
          if (delta === null || delta < 0) {
            ruleFail("delta", "Enter the tolerance as a number, 0 or more (for example 0.01).");
          } else {
            rules.push({
              id,
              kind: "metric_vs_baseline",
              metric,
              slice,
              comparator: rule.comparator,
              delta,
              onFail,
            });
          }
        } else {
          const value = parseNumber(rule.threshold);
          if (value === null)
            ruleFail("threshold", "Enter the threshold as a number, for example 0.75.");
          else {
            rules.push({
              id,
              kind: "metric_threshold",
              metric,
              slice,
              comparator: rule.comparator,
              value,
              onFail,
            });
          }
        }
        break;
      }
      case "fairness": {
        const value = parseNumber(rule.threshold);
        const label = FAIRNESS_METRIC_LABELS[rule.fairnessMetric];
        if (value === null || value < 0 || value > 1) {
          ruleFail("threshold", `Enter the ${label.toLowerCase()} limit as a number from 0 to 1.`);
        }
        const groupText = rule.minGroupSize.trim();
        const groupSize = groupText === "" ? undefined : parseWholeNumber(groupText);
        if (groupSize === null || (groupSize !== undefined && groupSize < 1)) {
          ruleFail(
            "minGroupSize",
            "Enter a whole number of rows, at least 1, or leave it empty to use the policy's.",
          );
        }
        if (value !== null && groupSize !== null) {
          rules.push({
            id,
            kind: "fairness",
            metric: rule.fairnessMetric,
            sensitiveFeature:
              rule.sensitiveFeature.trim() === "" ? null : rule.sensitiveFeature.trim(),
            comparator: rule.comparator,
            value,
            ...(groupSize === undefined ? {} : { minGroupSize: groupSize }),
            onFail,
          });
        }
        break;
      }
      case "evaluation_outcome":
        rules.push({ id, kind: "evaluation_outcome", evaluationKind: rule.evaluationKind, onFail });
        break;
      case "model_card_complete":
        rules.push({ id, kind: "model_card_complete", onFail });
        break;
    }
    if (Object.keys(ruleErrors).length > 0) errors.rules[rule.key] = ruleErrors;
  });

  if (
    count > 0 ||
    requiredApprovals === null ||
    approvalTtlHours === null ||
    minGroupSize === null
  ) {
    return { errors, count, ruleIds, policy: null };
  }
  return {
    errors,
    count,
    ruleIds,
    policy: {
      requiredApprovals,
      approverRoles: draft.approverRoles,
      // The form disables the box in production, where governance refuses it.
      allowMlEngineerApproval: environment === "production" ? false : draft.allowMlEngineerApproval,
      approvalTtlHours,
      modelCardRequired: draft.modelCardRequired,
      minGroupSize,
      rules,
    },
  };
}
