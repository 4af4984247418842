import { z } from "zod";

import { evaluationKindSchema } from "./evaluation";
import { FAIRNESS_METRICS } from "./fairness";

/**
 * What a failed rule does to a promotion (spec, "Fairness gates"): `block` sends the request to
 * `checks_failed`; `require_override` lets it wait for approval, but every approval must carry a
 * written justification and at least one approval is needed even when the policy needs none
 * ("a failed fairness gate blocks automatic promotion; an approver may override with a written,
 * audited justification"). An `error` always blocks, whatever this says.
 */
export const gateFailureModeSchema = z.enum(["block", "require_override"]);

export const comparatorSchema = z.enum([">=", "<="]);

/**
 * Which slice a metric rule reads: `null` for the whole evaluation set, a slice name such as
 * `region=EU`, or `"*"` for every slice the candidate reports (one result per slice).
 */
export const sliceSelectorSchema = z.string().min(1).nullable();

export const EVERY_SLICE = "*";

const ruleId = z.string().min(1).max(100);

/** `metric comparator value`, e.g. `auc >= 0.75`. */
export const metricThresholdRuleSchema = z.object({
  id: ruleId,
  kind: z.literal("metric_threshold"),
  metric: z.string().min(1),
  slice: sliceSelectorSchema.default(null),
  comparator: comparatorSchema,
  value: z.number().finite(),
  onFail: gateFailureModeSchema.default("block"),
});

/**
 * Against the baseline version (the version the alias serves now): `>=` means
 * `candidate >= baseline - delta` (higher is better, e.g. AUC); `<=` means
 * `candidate <= baseline + delta` (lower is better, e.g. log loss). Without a baseline (a first
 * release) the result is inconclusive.
 */
export const metricBaselineRuleSchema = z.object({
  id: ruleId,
  kind: z.literal("metric_vs_baseline"),
  metric: z.string().min(1),
  slice: sliceSelectorSchema.default(null),
  comparator: comparatorSchema,
  delta: z.number().finite().nonnegative(),
  onFail: gateFailureModeSchema.default("block"),
});

/**
 * A fairness metric computed from per-group confusion counts, for one sensitive feature or, when
 * `sensitiveFeature` is `null`, for each feature the fairness evaluation reports.
 * `minGroupSize` overrides the policy's for this rule.
 */
export const fairnessRuleSchema = z.object({
  id: ruleId,
  kind: z.literal("fairness"),
  metric: z.enum(FAIRNESS_METRICS),
  sensitiveFeature: z.string().min(1).nullable().default(null),
  comparator: comparatorSchema,
  value: z.number().finite(),
  minGroupSize: z.number().int().positive().optional(),
  onFail: gateFailureModeSchema.default("require_override"),
});

/** The latest evaluation of a kind must itself have passed (e.g. schema validation). */
export const evaluationOutcomeRuleSchema = z.object({
  id: ruleId,
  kind: z.literal("evaluation_outcome"),
  evaluationKind: evaluationKindSchema,
  onFail: gateFailureModeSchema.default("block"),
});

/** The version's model card lists no missing required section. */
export const modelCardCompleteRuleSchema = z.object({
  id: ruleId,
  kind: z.literal("model_card_complete"),
  onFail: gateFailureModeSchema.default("block"),
});

export const gateRuleSchema = z.discriminatedUnion("kind", [
  metricThresholdRuleSchema,
  metricBaselineRuleSchema,
  fairnessRuleSchema,
  evaluationOutcomeRuleSchema,
  modelCardCompleteRuleSchema,
]);

export type GateFailureMode = z.infer<typeof gateFailureModeSchema>;
export type Comparator = z.infer<typeof comparatorSchema>;
export type MetricThresholdRule = z.infer<typeof metricThresholdRuleSchema>;
export type MetricBaselineRule = z.infer<typeof metricBaselineRuleSchema>;
export type FairnessRule = z.infer<typeof fairnessRuleSchema>;
export type EvaluationOutcomeRule = z.infer<typeof evaluationOutcomeRuleSchema>;
export type ModelCardCompleteRule = z.infer<typeof modelCardCompleteRuleSchema>;
export type GateRule = z.infer<typeof gateRuleSchema>;

/**
 * The spec's default gate rules (issue 5, "Evaluations and gates"; spec, "Fairness gates"):
 * schema validation passed; AUC >= baseline - 0.01; demographic parity ratio >= 0.8;
 * equalized odds difference <= 0.1. Fairness failures may be overridden with a justification.
 */
export const DEFAULT_GATE_RULES: readonly GateRule[] = [
  {
    id: "schema-validation",
    kind: "evaluation_outcome",
    evaluationKind: "schema_validation",
    onFail: "block",
  },
  {
    id: "auc-vs-baseline",
    kind: "metric_vs_baseline",
    metric: "auc",
    slice: null,
    comparator: ">=",
    delta: 0.01,
    onFail: "block",
  },
  {
    id: "demographic-parity-ratio",
    kind: "fairness",
    metric: "demographic_parity_ratio",
    sensitiveFeature: null,
    comparator: ">=",
    value: 0.8,
    onFail: "require_override",
  },
  {
    id: "equalized-odds-difference",
    kind: "fairness",
    metric: "equalized_odds_difference",
    sensitiveFeature: null,
    comparator: "<=",
    value: 0.1,
    onFail: "require_override",
  },
];

/**
 * Rounding slack for thresholds computed in floating point: `0.8 - 0.01` must accept an
 * observed `0.79` whatever the last bit of the subtraction.
 */
export const COMPARISON_TOLERANCE = 1e-12;

/** `observed comparator threshold` within {@link COMPARISON_TOLERANCE}. */
export function compare(observed: number, comparator: Comparator, threshold: number): boolean {
  return comparator === ">="
    ? observed >= threshold - COMPARISON_TOLERANCE
    : observed <= threshold + COMPARISON_TOLERANCE;
}
