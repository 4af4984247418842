import type { RouterOutputs } from "@plumbline/api";

export type GatePolicy = RouterOutputs["promotions"]["policy"]["policy"];
export type GateRule = GatePolicy["rules"][number];
export type GateRuleKind = GateRule["kind"];
export type Comparator = Extract<GateRule, { kind: "fairness" }>["comparator"];
export type GateFailureMode = GateRule["onFail"];
export type FairnessMetric = Extract<GateRule, { kind: "fairness" }>["metric"];
export type EvaluationKind = Extract<GateRule, { kind: "evaluation_outcome" }>["evaluationKind"];
export type EnvironmentKind = GatePolicy["environment"];
export type ApproverRole = GatePolicy["approverRoles"][number];

/**
 * Names for governance's lists, typed against the policy the router returns, so that a new
 * fairness metric or evaluation kind fails the typecheck until it is named here.
 */
export const FAIRNESS_METRIC_LABELS: Record<FairnessMetric, string> = {
  demographic_parity_ratio: "Demographic parity ratio",
  demographic_parity_difference: "Demographic parity difference",
  equalized_odds_difference: "Equalized odds difference",
  equal_opportunity_difference: "Equal opportunity difference",
};

/** Ratios are better high, differences better low: the comparator a new rule starts with. */
export const FAIRNESS_METRIC_COMPARATOR: Record<FairnessMetric, Comparator> = {
  demographic_parity_ratio: ">=",
  demographic_parity_difference: "<=",
  equalized_odds_difference: "<=",
  equal_opportunity_difference: "<=",
};

export const EVALUATION_KIND_LABELS: Record<EvaluationKind, string> = {
  schema_validation: "Schema validation",
  smoke_train: "Smoke training",
  holdout: "Holdout",
  baseline_compare: "Baseline comparison",
  fairness: "Fairness",
};

export const ENVIRONMENT_KIND_LABELS: Record<EnvironmentKind, string> = {
  development: "Development",
  staging: "Staging",
  production: "Production",
};

export const APPROVER_ROLE_LABELS: Record<ApproverRole, string> = {
  approver: "Approvers",
  admin: "Admins",
};

export const FAILURE_MODE_LABELS: Record<GateFailureMode, string> = {
  block: "Blocks the promotion",
  require_override: "Approver may override",
};

const SYMBOL: Record<Comparator, string> = { ">=": "≥", "<=": "≤" };

export function comparatorSymbol(comparator: Comparator): string {
  return SYMBOL[comparator];
}

function sliceText(slice: string | null): string {
  if (slice === null) return "";
  return slice === "*" ? " on every slice" : ` on slice ${slice}`;
}

/** One rule as a sentence fragment: "auc ≥ baseline − 0.01", "Schema validation passed". */
export function describeGateRule(rule: GateRule): string {
  switch (rule.kind) {
    case "evaluation_outcome":
      return `Latest ${EVALUATION_KIND_LABELS[rule.evaluationKind].toLowerCase()} evaluation passed`;
    case "metric_vs_baseline":
      return `${rule.metric}${sliceText(rule.slice)} ${SYMBOL[rule.comparator]} baseline ${
        rule.comparator === ">=" ? "−" : "+"
      } ${rule.delta}`;
    case "metric_threshold":
      return `${rule.metric}${sliceText(rule.slice)} ${SYMBOL[rule.comparator]} ${rule.value}`;
    case "fairness":
      return `${FAIRNESS_METRIC_LABELS[rule.metric]} ${SYMBOL[rule.comparator]} ${rule.value}, ${
        rule.sensitiveFeature === null
          ? "for every sensitive feature"
          : `for ${rule.sensitiveFeature}`
      }${rule.minGroupSize === undefined ? "" : `, groups of at least ${rule.minGroupSize} rows`}`;
    case "model_card_complete":
      return "Model card has every required section";
  }
}

/** "72 hours (3 days)". */
export function formatHours(hours: number): string {
  const text = `${hours} ${hours === 1 ? "hour" : "hours"}`;
  if (hours < 24) return text;
  const days = Math.round((hours / 24) * 10) / 10;
  return `${text} (${days} ${days === 1 ? "day" : "days"})`;
}
