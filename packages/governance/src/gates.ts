import type { Evaluation, EvaluationMetric, FairnessGroupCounts, GateOutcome } from "./evaluation";
import { assessFairness, DEFAULT_MIN_GROUP_SIZE } from "./fairness";
import type {
  Comparator,
  EvaluationOutcomeRule,
  FairnessRule,
  GateFailureMode,
  GateRule,
  MetricBaselineRule,
  MetricThresholdRule,
  ModelCardCompleteRule,
} from "./gate-rules";
import { compare, EVERY_SLICE } from "./gate-rules";
import { MODEL_CARD_REQUIRED_SECTIONS } from "./model-card";

/**
 * One row of `gate_results`: what a rule saw, against what, and what it decided. `subject` names
 * the slice or sensitive feature when a rule yields one result per slice or feature.
 */
export interface GateResult {
  ruleId: string;
  rule: GateRule;
  subject: string | null;
  observed: number | null;
  threshold: number | null;
  comparator: Comparator | null;
  outcome: GateOutcome;
  onFail: GateFailureMode;
  message: string;
}

export interface GateInputs {
  rules: readonly GateRule[];
  /** The candidate's evaluations, oldest first: when a metric repeats, the last one wins. */
  evaluations: readonly Evaluation[];
  /** The baseline version's metrics on the same holdout; `null` when nothing serves yet. */
  baselineMetrics: readonly EvaluationMetric[] | null;
  /** Missing required sections of the version's model card; `null` when it has no card. */
  modelCardMissingSections: readonly string[] | null;
  /** Policy-wide minimum group and slice size (default 30). */
  minGroupSize?: number;
}

/**
 * Evaluates every rule against the candidate's evidence (spec, "Evaluation and gates": "Gates are
 * evaluated by the server, and the results are stored with observed value, threshold and
 * outcome"). Never throws on bad evidence: a missing metric, evaluation or fairness data is an
 * `error` result (it blocks), a missing baseline or an undersized group or slice is
 * `inconclusive` (a warning for the approvers, never a pass).
 */
export function evaluateGates(inputs: GateInputs): GateResult[] {
  const minGroupSize = inputs.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  return inputs.rules.flatMap((rule): GateResult[] => {
    switch (rule.kind) {
      case "metric_threshold":
      case "metric_vs_baseline":
        return evaluateMetricRule(rule, inputs, minGroupSize);
      case "fairness":
        return evaluateFairnessRule(rule, inputs.evaluations, rule.minGroupSize ?? minGroupSize);
      case "evaluation_outcome":
        return [evaluateOutcomeRule(rule, inputs.evaluations)];
      case "model_card_complete":
        return [evaluateModelCardRule(rule, inputs.modelCardMissingSections)];
    }
  });
}

/**
 * How a set of gate results bears on a promotion request:
 * - `blocked`: an `error`, or a `fail` of a `block` rule -> `checks_failed`;
 * - `override_required`: only `require_override` rules failed -> awaiting approval, every approval
 *   justified, at least one needed;
 * - `needs_review`: some results are inconclusive -> awaiting approval, shown as warnings, at
 *   least one approval needed;
 * - `clear`: everything passed -> approved by the system when the policy needs no approval.
 */
export type GateDecision = "blocked" | "override_required" | "needs_review" | "clear";

export interface GateSummary {
  /** Worst outcome, in the order error > fail > inconclusive > pass (`pass` when no rules). */
  outcome: GateOutcome;
  decision: GateDecision;
  blocking: GateResult[];
  overridable: GateResult[];
  warnings: GateResult[];
}

const SEVERITY: Record<GateOutcome, number> = { pass: 0, inconclusive: 1, fail: 2, error: 3 };

export function summarizeGateResults(results: readonly GateResult[]): GateSummary {
  let outcome: GateOutcome = "pass";
  for (const result of results) {
    if (SEVERITY[result.outcome] > SEVERITY[outcome]) outcome = result.outcome;
  }
  const blocking = results.filter(
    (result) =>
      result.outcome === "error" || (result.outcome === "fail" && result.onFail === "block"),
  );
  const overridable = results.filter(
    (result) => result.outcome === "fail" && result.onFail === "require_override",
  );
  const warnings = results.filter((result) => result.outcome === "inconclusive");
  const decision: GateDecision =
    blocking.length > 0
      ? "blocked"
      : overridable.length > 0
        ? "override_required"
        : warnings.length > 0
          ? "needs_review"
          : "clear";
  return { outcome, decision, blocking, overridable, warnings };
}

function evaluateMetricRule(
  rule: MetricThresholdRule | MetricBaselineRule,
  inputs: GateInputs,
  minGroupSize: number,
): GateResult[] {
  const candidate = latestMetrics(inputs.evaluations.flatMap((evaluation) => evaluation.metrics));
  const slices =
    rule.slice === EVERY_SLICE
      ? [
          ...new Set(
            [...candidate.values()]
              .filter((m) => m.metric === rule.metric && m.slice !== null)
              .map((m) => m.slice),
          ),
        ]
      : [rule.slice];
  if (slices.length === 0) {
    return [result(rule, null, null, null, "error", `No slice of ${rule.metric} was reported.`)];
  }
  const baseline = inputs.baselineMetrics === null ? null : latestMetrics(inputs.baselineMetrics);
  return slices.map((slice) => {
    const label = describeMetric(rule.metric, slice);
    const observed = candidate.get(metricKey(rule.metric, slice));
    if (observed === undefined) {
      return result(
        rule,
        slice,
        null,
        null,
        "error",
        `${label} was not reported by any evaluation.`,
      );
    }
    let threshold: number;
    if (rule.kind === "metric_threshold") {
      threshold = rule.value;
    } else {
      const base = baseline?.get(metricKey(rule.metric, slice));
      if (base === undefined) {
        return result(
          rule,
          slice,
          observed.value,
          null,
          "inconclusive",
          `${label} has no baseline to compare with.`,
        );
      }
      threshold = rule.comparator === ">=" ? base.value - rule.delta : base.value + rule.delta;
    }
    if (observed.n !== undefined && observed.n < minGroupSize) {
      return result(
        rule,
        slice,
        observed.value,
        threshold,
        "inconclusive",
        `${label} rests on ${observed.n} rows, fewer than ${minGroupSize}.`,
      );
    }
    const passed = compare(observed.value, rule.comparator, threshold);
    return result(
      rule,
      slice,
      observed.value,
      threshold,
      passed ? "pass" : "fail",
      `${label} = ${format(observed.value)} ${passed ? "meets" : "does not meet"} ${rule.comparator} ${format(threshold)}.`,
    );
  });
}

function evaluateFairnessRule(
  rule: FairnessRule,
  evaluations: readonly Evaluation[],
  minGroupSize: number,
): GateResult[] {
  const groups = latestGroups(evaluations.flatMap((evaluation) => evaluation.groups));
  const features =
    rule.sensitiveFeature === null
      ? [...new Set(groups.map((group) => group.feature))]
      : [rule.sensitiveFeature];
  if (features.length === 0) {
    return [
      result(
        rule,
        null,
        null,
        rule.value,
        "error",
        `No fairness groups were reported for ${rule.metric}.`,
      ),
    ];
  }
  return features.map((feature) => {
    const counts = groups.filter((group) => group.feature === feature);
    const label = `${rule.metric} over ${feature}`;
    if (counts.length === 0) {
      return result(
        rule,
        feature,
        null,
        rule.value,
        "error",
        `No fairness groups were reported for ${feature}.`,
      );
    }
    const assessment = assessFairness(rule.metric, counts, minGroupSize);
    const adequate = assessment.valueOverAdequateGroups;
    if (adequate !== null && !compare(adequate, rule.comparator, rule.value)) {
      return result(
        rule,
        feature,
        adequate,
        rule.value,
        "fail",
        `${label} = ${format(adequate)} does not meet ${rule.comparator} ${format(rule.value)}.`,
      );
    }
    if (assessment.smallGroups.length > 0) {
      return result(
        rule,
        feature,
        assessment.value,
        rule.value,
        "inconclusive",
        `${label}: groups ${assessment.smallGroups.join(", ")} have fewer than ${minGroupSize} rows.`,
      );
    }
    if (assessment.value === null) {
      return result(
        rule,
        feature,
        null,
        rule.value,
        "inconclusive",
        `${label} is undefined (fewer than two groups, or a group without the outcome it needs).`,
      );
    }
    return result(
      rule,
      feature,
      assessment.value,
      rule.value,
      "pass",
      `${label} = ${format(assessment.value)} meets ${rule.comparator} ${format(rule.value)}.`,
    );
  });
}

function evaluateOutcomeRule(
  rule: EvaluationOutcomeRule,
  evaluations: readonly Evaluation[],
): GateResult {
  const latest = evaluations.filter((evaluation) => evaluation.kind === rule.evaluationKind).at(-1);
  if (latest === undefined) {
    return result(
      rule,
      null,
      null,
      null,
      "error",
      `No ${rule.evaluationKind} evaluation was posted.`,
    );
  }
  return result(
    rule,
    null,
    null,
    null,
    latest.outcome,
    `The latest ${rule.evaluationKind} evaluation reported ${latest.outcome}.`,
  );
}

/**
 * A card's completeness as a count: `observed` is how many of the required sections are filled,
 * `threshold` how many there are (all must be). A missing approval is listed with the missing
 * sections but is not a section, so it does not lower the count.
 */
function evaluateModelCardRule(
  rule: ModelCardCompleteRule,
  missing: readonly string[] | null,
): GateResult {
  const required = MODEL_CARD_REQUIRED_SECTIONS.length;
  if (missing === null)
    return result(rule, null, null, required, "fail", "The version has no model card.");
  const missingSections = missing.filter((entry) =>
    (MODEL_CARD_REQUIRED_SECTIONS as readonly string[]).includes(entry),
  ).length;
  const filled = required - missingSections;
  if (missing.length > 0) {
    return result(
      rule,
      null,
      filled,
      required,
      "fail",
      `The model card misses: ${missing.join(", ")}.`,
    );
  }
  return result(
    rule,
    null,
    filled,
    required,
    "pass",
    `The model card is complete: ${filled} of ${required} required sections.`,
  );
}

function result(
  rule: GateRule,
  subject: string | null,
  observed: number | null,
  threshold: number | null,
  outcome: GateOutcome,
  message: string,
): GateResult {
  return {
    ruleId: rule.id,
    rule,
    subject,
    observed,
    threshold,
    comparator: "comparator" in rule ? rule.comparator : null,
    outcome,
    onFail: rule.onFail,
    message,
  };
}

function metricKey(metric: string, slice: string | null): string {
  return JSON.stringify([metric, slice]);
}

function latestMetrics(metrics: readonly EvaluationMetric[]): Map<string, EvaluationMetric> {
  const byKey = new Map<string, EvaluationMetric>();
  for (const metric of metrics) byKey.set(metricKey(metric.metric, metric.slice), metric);
  return byKey;
}

function latestGroups(groups: readonly FairnessGroupCounts[]): FairnessGroupCounts[] {
  const byKey = new Map<string, FairnessGroupCounts>();
  for (const group of groups) byKey.set(JSON.stringify([group.feature, group.group]), group);
  return [...byKey.values()];
}

function describeMetric(metric: string, slice: string | null): string {
  return slice === null ? metric : `${metric} [${slice}]`;
}

function format(value: number): string {
  return String(Number(value.toPrecision(6)));
}
