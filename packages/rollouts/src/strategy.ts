import { z } from "zod";

/**
 * A canary strategy: the steps a deployment walks through and the analysis its `analysis` steps
 * run, after Argo Rollouts' `canary.steps` and `AnalysisTemplate`. Conditions are data (an
 * operator and a threshold), never expressions to evaluate.
 */

/** The longest timed pause: a week. A longer wait is an indefinite pause a person resumes. */
export const MAX_PAUSE_SECONDS = 7 * 24 * 3600;
/** The longest measurement interval and initial delay: a day. */
export const MAX_INTERVAL_SECONDS = 24 * 3600;

export const CONDITION_OPERATORS = ["<", "<=", ">", ">="] as const;

/** `value <op> threshold`, e.g. `{ op: "<=", threshold: 0.01 }`. */
export const conditionSchema = z.strictObject({
  op: z.enum(CONDITION_OPERATORS),
  threshold: z.number().finite(),
});
export type Condition = z.infer<typeof conditionSchema>;

/**
 * What an analysis metric measures, always canary against stable over the same window:
 * - `error_rate_difference`: canary error rate minus stable error rate (0.02 = two points worse);
 * - `p99_latency_ratio`: canary p99 latency over stable p99 latency (1.5 = half again slower);
 * - `prediction_js_distance`: Jensen-Shannon distance (base 2, 0..1) between the score histograms;
 * - `prediction_psi`: population stability index of the canary's scores against the stable's;
 * - `mean_confidence_shift`: canary mean score minus stable mean score;
 * - `low_confidence_share_shift`: canary low-confidence share minus the stable's;
 * - `accuracy_drop`: stable accuracy minus canary accuracy, over predictions whose labels joined.
 */
export const ANALYSIS_METRIC_KINDS = [
  "error_rate_difference",
  "p99_latency_ratio",
  "prediction_js_distance",
  "prediction_psi",
  "mean_confidence_shift",
  "low_confidence_share_shift",
  "accuracy_drop",
] as const;
export type AnalysisMetricKind = (typeof ANALYSIS_METRIC_KINDS)[number];

const seconds = (max: number) => z.number().int().min(1).max(max);

/**
 * One metric of an analysis, with Argo Rollouts' knobs: a measurement every `intervalSeconds`
 * (the first after `initialDelaySeconds` plus one interval), `count` measurements in all; the
 * metric fails once more than `failureLimit` measurements failed, is inconclusive once more than
 * `inconclusiveLimit` were inconclusive, errs once more than `consecutiveErrorLimit` errors came
 * in a row. A measurement with fewer than `minSamples` on either side is inconclusive.
 */
export const analysisMetricSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,63}$/, "lower-case letters, digits, _ or -, at most 64"),
    kind: z.enum(ANALYSIS_METRIC_KINDS),
    intervalSeconds: seconds(MAX_INTERVAL_SECONDS),
    count: z.number().int().min(1).max(1000),
    initialDelaySeconds: z.number().int().min(0).max(MAX_INTERVAL_SECONDS).default(0),
    minSamples: z.number().int().min(1).max(1_000_000_000).default(100),
    successCondition: conditionSchema.nullable().default(null),
    failureCondition: conditionSchema.nullable().default(null),
    failureLimit: z.number().int().min(0).max(1000).default(0),
    inconclusiveLimit: z.number().int().min(0).max(1000).default(0),
    consecutiveErrorLimit: z.number().int().min(0).max(1000).default(4),
  })
  .refine((metric) => metric.successCondition !== null || metric.failureCondition !== null, {
    message: "needs a successCondition, a failureCondition or both",
    path: ["successCondition"],
  });
export type AnalysisMetric = z.infer<typeof analysisMetricSchema>;
export type AnalysisMetricInput = z.input<typeof analysisMetricSchema>;

export const canaryStepSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("setWeight"), weight: z.number().int().min(0).max(100) }),
  /** Without `durationSeconds` the pause lasts until an approver resumes. */
  z.strictObject({
    kind: z.literal("pause"),
    durationSeconds: seconds(MAX_PAUSE_SECONDS).optional(),
  }),
  z.strictObject({ kind: z.literal("analysis") }),
]);
export type CanaryStep = z.infer<typeof canaryStepSchema>;

/** The default progress deadline: an analysis step that has not concluded in an hour aborts. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 3600;

export const canaryStrategySchema = z
  .strictObject({
    steps: z.array(canaryStepSchema).min(1).max(50),
    analysis: z.strictObject({ metrics: z.array(analysisMetricSchema).min(1).max(20) }).optional(),
    /** How long one analysis step may run before the deployment aborts. */
    progressDeadlineSeconds: z
      .number()
      .int()
      .min(10)
      .max(MAX_PAUSE_SECONDS)
      .default(DEFAULT_PROGRESS_DEADLINE_SECONDS),
  })
  .superRefine((strategy, context) => {
    const hasAnalysisStep = strategy.steps.some((step) => step.kind === "analysis");
    if (hasAnalysisStep && !strategy.analysis) {
      context.addIssue({
        code: "custom",
        path: ["analysis"],
        message: "an analysis step needs analysis metrics",
      });
    }
    const names = strategy.analysis?.metrics.map((metric) => metric.name) ?? [];
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["analysis", "metrics"],
        message: `duplicate metric name ${duplicate}`,
      });
    }
    for (const metric of strategy.analysis?.metrics ?? []) {
      const duration = analysisDurationSeconds(metric);
      if (duration > strategy.progressDeadlineSeconds) {
        context.addIssue({
          code: "custom",
          path: ["progressDeadlineSeconds"],
          message: `metric ${metric.name} needs ${duration} s, longer than the progress deadline`,
        });
      }
    }
  });
export type CanaryStrategy = z.infer<typeof canaryStrategySchema>;
export type CanaryStrategyInput = z.input<typeof canaryStrategySchema>;

/** How long a metric's analysis takes when every measurement succeeds. */
export function analysisDurationSeconds(
  metric: Pick<AnalysisMetric, "initialDelaySeconds" | "intervalSeconds" | "count">,
): number {
  return metric.initialDelaySeconds + metric.count * metric.intervalSeconds;
}

/**
 * An environment's rollout policy: `direct` moves the alias as soon as an approved promotion is
 * deployed; `canary` starts a deployment that moves it only when the canary succeeded.
 */
export const rolloutPolicySchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("direct") }),
  z.strictObject({ mode: z.literal("canary"), strategy: canaryStrategySchema }),
]);
export type RolloutPolicy = z.infer<typeof rolloutPolicySchema>;
export type RolloutPolicyInput = z.input<typeof rolloutPolicySchema>;

/** The strategy of the issue's example: weight 5, pause 5m, analysis, 25, pause 10m, 50, 100. */
export function exampleCanaryStrategy(): CanaryStrategy {
  return canaryStrategySchema.parse({
    steps: [
      { kind: "setWeight", weight: 5 },
      { kind: "pause", durationSeconds: 300 },
      { kind: "analysis" },
      { kind: "setWeight", weight: 25 },
      { kind: "pause", durationSeconds: 600 },
      { kind: "setWeight", weight: 50 },
      { kind: "setWeight", weight: 100 },
    ],
    analysis: {
      metrics: [
        {
          name: "error-rate",
          kind: "error_rate_difference",
          intervalSeconds: 60,
          count: 5,
          minSamples: 50,
          failureCondition: { op: ">", threshold: 0.02 },
        },
        {
          name: "p99-latency",
          kind: "p99_latency_ratio",
          intervalSeconds: 60,
          count: 5,
          minSamples: 50,
          failureCondition: { op: ">", threshold: 1.5 },
        },
        {
          name: "prediction-js",
          kind: "prediction_js_distance",
          intervalSeconds: 60,
          count: 5,
          minSamples: 100,
          successCondition: { op: "<=", threshold: 0.1 },
          failureCondition: { op: ">", threshold: 0.2 },
          inconclusiveLimit: 2,
        },
      ],
    },
  });
}
