import { benjaminiHochberg } from "@plumbline/drift";

import type { Judgement } from "./judgement";
import { inconclusive } from "./judgement";
import type { Reading } from "./reading";

/**
 * The drift package's status as a verdict: `alert` -> critical, `warn` -> warning, `ok` ->
 * healthy, `inconclusive` and `no_data` -> inconclusive. With FDR control on, a warn or alert
 * whose p-value did not survive Benjamini-Hochberg across the features is healthy: with 20
 * features tested every hour, some small p-values are expected by chance alone.
 */
export function judgeStatistical(reading: Reading): Judgement {
  const status = reading.driftStatus;
  if (status === undefined || status === "no_data") return inconclusive("no data to compare");
  if (status === "inconclusive") return inconclusive("the drift tests are inconclusive");
  if (status === "ok") return { verdict: { kind: "healthy" }, limit: null, reason: "no drift" };
  if (reading.discovered === false) {
    return {
      verdict: { kind: "healthy" },
      limit: null,
      reason: `drift status ${status}, but its p-value is not a discovery after FDR control`,
    };
  }
  return {
    verdict: { kind: "breach", severity: status === "alert" ? "critical" : "warning" },
    limit: null,
    reason: `drift status ${status}`,
  };
}

/**
 * Marks each reading with a p-value as `discovered` when its Benjamini-Hochberg adjusted p-value
 * is at most `fdrLevel` (q); readings without a p-value are left unmarked. Returns new readings.
 *
 * @example
 * applyFalseDiscoveryControl([{ pValue: 0.01 }, { pValue: 0.04 }, { pValue: 0.03 }], 0.035)
 * // adjusted 0.03, 0.04, 0.04: only the first is a discovery
 */
export function applyFalseDiscoveryControl<R extends Reading>(
  readings: readonly R[],
  fdrLevel: number,
): R[] {
  const tested = readings
    .map((reading, index) => ({ index, p: reading.pValue }))
    .filter((entry): entry is { index: number; p: number } => typeof entry.p === "number");
  const adjusted = benjaminiHochberg(tested.map((entry) => entry.p));
  const adjustedOf = new Map(tested.map((entry, i) => [entry.index, adjusted[i]!]));
  return readings.map((reading, index) => {
    const adjustedPValue = adjustedOf.get(index);
    if (adjustedPValue === undefined) return reading;
    return {
      ...reading,
      discovered: adjustedPValue <= fdrLevel,
      details: { ...reading.details, adjustedPValue },
    };
  });
}
