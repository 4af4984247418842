import type { MonitorSettings } from "@plumbline/contracts";
import {
  applyFalseDiscoveryControl,
  judgeReading,
  type Judgement,
  type Reading,
} from "@plumbline/monitors";

import { targetKey, type MonitorReadings } from "./read-monitor";

/** One target's reading and what the threshold made of it. */
export interface TargetJudgement {
  reading: Reading;
  judgement: Judgement;
}

/** `monitor_evaluations.outcome`: the worst target, or why nothing could be judged. */
export type EvaluationOutcome = "ok" | "warning" | "critical" | "insufficient" | "muted";

/**
 * Judges every target of one bucket end: FDR control across the features first (statistical
 * thresholds with `fdr` on), then each reading with its band history and the monitor's
 * minimum sample size.
 */
export function judgeMonitorReadings(
  settings: Pick<MonitorSettings, "threshold" | "minSamples">,
  read: MonitorReadings,
): TargetJudgement[] {
  const threshold = settings.threshold;
  const readings =
    threshold.kind === "statistical" && threshold.fdr
      ? applyFalseDiscoveryControl(read.readings, threshold.fdrLevel)
      : read.readings;
  return readings.map((reading) => ({
    reading,
    judgement: judgeReading(threshold, reading, read.histories.get(targetKey(reading)) ?? [], {
      minSamples: settings.minSamples,
    }),
  }));
}

/** The evaluation's outcome; while muted, a breach reads `muted`. */
export function outcomeOf(
  judgements: readonly TargetJudgement[],
  muted: boolean,
): EvaluationOutcome {
  const verdicts = judgements.map((entry) => entry.judgement.verdict);
  const breaches = verdicts.filter((verdict) => verdict.kind === "breach");
  if (breaches.length > 0) {
    if (muted) return "muted";
    return breaches.some((verdict) => verdict.severity === "critical") ? "critical" : "warning";
  }
  return verdicts.some((verdict) => verdict.kind === "healthy") ? "ok" : "insufficient";
}

/** A reading as stored in `monitor_evaluations.readings`. */
export function storedReading(entry: TargetJudgement): Record<string, unknown> {
  const { reading, judgement } = entry;
  return {
    feature: reading.feature,
    value: reading.value,
    samples: reading.samples,
    baseline: reading.baseline ?? null,
    verdict: judgement.verdict.kind,
    severity: judgement.verdict.kind === "breach" ? judgement.verdict.severity : null,
    limit: judgement.limit,
    reason: judgement.reason,
    ...(reading.details ? { details: reading.details } : {}),
  };
}
