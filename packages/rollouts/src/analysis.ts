import type { AnalysisMetric, Condition } from "./strategy";

/**
 * Argo Rollouts' analysis semantics as pure functions: how one measurement is judged, how a
 * metric's measurements add up to its phase, and how the metrics add up to the run's phase.
 */

export const MEASUREMENT_PHASES = ["successful", "failed", "inconclusive", "error"] as const;
export type MeasurementPhase = (typeof MEASUREMENT_PHASES)[number];

export const ANALYSIS_PHASES = [
  "running",
  "successful",
  "failed",
  "inconclusive",
  "error",
] as const;
export type AnalysisPhase = (typeof ANALYSIS_PHASES)[number];

/** What was read for one measurement: the metric's value and the samples behind each side. */
export interface MeasuredValue {
  /** Null when the window holds nothing to compute it from (no latencies, no labels). */
  value: number | null;
  canarySamples: number;
  stableSamples: number;
  /** Set when reading failed (the query threw): the measurement is an error. */
  error?: string;
}

export interface JudgedMeasurement {
  phase: MeasurementPhase;
  /** One sentence: which condition decided, or why nothing could. */
  reason: string;
}

export function conditionHolds(value: number, condition: Condition): boolean {
  switch (condition.op) {
    case "<":
      return value < condition.threshold;
    case "<=":
      return value <= condition.threshold;
    case ">":
      return value > condition.threshold;
    case ">=":
      return value >= condition.threshold;
  }
}

export function describeCondition(condition: Condition): string {
  return `value ${condition.op} ${condition.threshold}`;
}

/**
 * Judges one measurement (Argo's `EvaluateResult`, plus Plumbline's sample floor):
 * - a read error is `error`; fewer than `minSamples` on either side, or no value, `inconclusive`;
 * - with both conditions: failure holds -> failed; else success holds -> successful; else
 *   inconclusive;
 * - with only a success condition, a value that does not meet it fails;
 * - with only a failure condition, a value that does not meet it succeeds.
 */
export function judgeMeasurement(
  metric: Pick<AnalysisMetric, "minSamples" | "successCondition" | "failureCondition">,
  measured: MeasuredValue,
): JudgedMeasurement {
  if (measured.error !== undefined) return { phase: "error", reason: measured.error };
  const fewest = Math.min(measured.canarySamples, measured.stableSamples);
  if (fewest < metric.minSamples) {
    return {
      phase: "inconclusive",
      reason: `too few samples: canary ${measured.canarySamples}, stable ${measured.stableSamples}, need ${metric.minSamples} each`,
    };
  }
  if (measured.value === null || !Number.isFinite(measured.value)) {
    return { phase: "inconclusive", reason: "no value in this window" };
  }
  const value = measured.value;
  const { successCondition, failureCondition } = metric;
  if (failureCondition && conditionHolds(value, failureCondition)) {
    return {
      phase: "failed",
      reason: `failure condition ${describeCondition(failureCondition)} holds`,
    };
  }
  if (successCondition) {
    if (conditionHolds(value, successCondition)) {
      return {
        phase: "successful",
        reason: `success condition ${describeCondition(successCondition)} holds`,
      };
    }
    return failureCondition
      ? { phase: "inconclusive", reason: "neither the success nor the failure condition holds" }
      : {
          phase: "failed",
          reason: `success condition ${describeCondition(successCondition)} does not hold`,
        };
  }
  // Only a failure condition, and it does not hold.
  return {
    phase: "successful",
    reason: `failure condition ${describeCondition(failureCondition!)} does not hold`,
  };
}

/** A metric's tallies, as Argo keeps them on a metric result. */
export interface MetricTally {
  /** Measurements that were not errors (successful + failed + inconclusive). */
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  /** Errors since the last measurement that was not one. */
  consecutiveError: number;
  /** Every measurement taken, errors included: what the schedule counts. */
  taken: number;
}

export function tallyMeasurements(phases: readonly MeasurementPhase[]): MetricTally {
  const tally: MetricTally = {
    count: 0,
    successful: 0,
    failed: 0,
    inconclusive: 0,
    error: 0,
    consecutiveError: 0,
    taken: phases.length,
  };
  for (const phase of phases) {
    if (phase === "error") {
      tally.error += 1;
      tally.consecutiveError += 1;
      continue;
    }
    tally.consecutiveError = 0;
    tally.count += 1;
    tally[phase] += 1;
  }
  return tally;
}

/**
 * A metric's phase from its measurements, in Argo's order: failed once `failed > failureLimit`,
 * inconclusive once `inconclusive > inconclusiveLimit`, error once
 * `consecutiveError > consecutiveErrorLimit`, successful once `count` measurements were taken
 * without any of those; running until then.
 */
export function metricPhase(
  metric: Pick<
    AnalysisMetric,
    "count" | "failureLimit" | "inconclusiveLimit" | "consecutiveErrorLimit"
  >,
  phases: readonly MeasurementPhase[],
): AnalysisPhase {
  const tally = tallyMeasurements(phases);
  if (tally.failed > metric.failureLimit) return "failed";
  if (tally.inconclusive > metric.inconclusiveLimit) return "inconclusive";
  if (tally.consecutiveError > metric.consecutiveErrorLimit) return "error";
  if (tally.count >= metric.count) return "successful";
  return "running";
}

const RUN_PRECEDENCE: readonly AnalysisPhase[] = [
  "failed",
  "error",
  "inconclusive",
  "running",
  "successful",
];

/**
 * The run's phase from its metrics': the worst of them (failed, then error, then inconclusive),
 * running while any still runs, successful when all are. A run without metrics succeeds.
 */
export function runPhase(phases: readonly AnalysisPhase[]): AnalysisPhase {
  for (const phase of RUN_PRECEDENCE) if (phases.includes(phase)) return phase;
  return "successful";
}

/**
 * When measurement `index` (0-based) of a metric is due, for a run that started at
 * `runStartedAt`: at the end of the `index + 1`-th interval after the initial delay, so each
 * measurement reads one whole interval of traffic. The first failure of a failing canary lands
 * at `initialDelay + interval`, and the metric fails at `initialDelay + (failureLimit + 1) x
 * interval` at the latest.
 */
export function measurementDueAt(
  metric: Pick<AnalysisMetric, "initialDelaySeconds" | "intervalSeconds">,
  runStartedAt: Date,
  index: number,
): Date {
  const offsetSeconds = metric.initialDelaySeconds + (index + 1) * metric.intervalSeconds;
  return new Date(runStartedAt.getTime() + offsetSeconds * 1000);
}

/** The window measurement `index` reads: the interval that ends when it is due. */
export function measurementWindow(
  metric: Pick<AnalysisMetric, "initialDelaySeconds" | "intervalSeconds">,
  runStartedAt: Date,
  index: number,
): { from: Date; to: Date } {
  const to = measurementDueAt(metric, runStartedAt, index);
  return { from: new Date(to.getTime() - metric.intervalSeconds * 1000), to };
}

/**
 * The upper bound on how long a failing canary keeps its traffic once analysis starts:
 * `initialDelay + (failureLimit + 1) x interval`, the worst over the metrics that can fail.
 */
export function rollbackBoundSeconds(
  metrics: readonly Pick<
    AnalysisMetric,
    "initialDelaySeconds" | "intervalSeconds" | "failureLimit"
  >[],
): number {
  let bound = 0;
  for (const metric of metrics) {
    bound = Math.max(
      bound,
      metric.initialDelaySeconds + (metric.failureLimit + 1) * metric.intervalSeconds,
    );
  }
  return bound;
}
