import { z } from "zod";

/** The evaluation kinds CI posts (spec, "Evaluation and gates"). */
export const EVALUATION_KINDS = [
  "schema_validation",
  "smoke_train",
  "holdout",
  "baseline_compare",
  "fairness",
] as const;

/** The four outcomes shared by evaluations and gate results. `inconclusive` is never `pass`. */
export const GATE_OUTCOMES = ["pass", "fail", "inconclusive", "error"] as const;

export const evaluationKindSchema = z.enum(EVALUATION_KINDS);
export const gateOutcomeSchema = z.enum(GATE_OUTCOMES);

export type EvaluationKind = z.infer<typeof evaluationKindSchema>;
export type GateOutcome = z.infer<typeof gateOutcomeSchema>;

/** Counts are stored in 32-bit `integer` columns: a larger one is refused here, not by the database. */
export const MAX_EVALUATION_COUNT = 2_147_483_647;

const count = z
  .number()
  .int()
  .nonnegative()
  .max(MAX_EVALUATION_COUNT, { error: "must be at most 2,147,483,647 (a 32-bit count)" });

/**
 * One metric value of an evaluation (`evaluation_metrics`): `slice` is `null` for the whole
 * evaluation set, or a slice name such as `region=EU`; `n` is the number of rows behind the value
 * and, when given, makes a slice smaller than the policy's `minGroupSize` inconclusive.
 */
export const evaluationMetricSchema = z.object({
  metric: z.string().min(1),
  slice: z.string().min(1).nullable().default(null),
  value: z.number().finite(),
  lower: z.number().finite().optional(),
  upper: z.number().finite().optional(),
  n: count.optional(),
});

/**
 * Confusion counts of a binary classifier for one group of one sensitive feature, the input
 * from which every fairness metric is computed (Fairlearn's `MetricFrame` convention: the
 * positive class is `prediction = 1`).
 */
export const fairnessGroupCountsSchema = z.object({
  feature: z.string().min(1),
  group: z.string().min(1),
  truePositives: count,
  falsePositives: count,
  trueNegatives: count,
  falseNegatives: count,
});

/** What CI posts as one evaluation of a model version, already validated at the boundary. */
export const evaluationSchema = z.object({
  kind: evaluationKindSchema,
  outcome: gateOutcomeSchema,
  metrics: z.array(evaluationMetricSchema).default([]),
  groups: z.array(fairnessGroupCountsSchema).default([]),
  ciJobUrl: z.url().optional(),
});

export type EvaluationMetric = z.infer<typeof evaluationMetricSchema>;
export type FairnessGroupCounts = z.infer<typeof fairnessGroupCountsSchema>;
export type Evaluation = z.infer<typeof evaluationSchema>;
