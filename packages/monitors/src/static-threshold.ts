import type { z } from "zod";

import type { StaticThreshold } from "@plumbline/contracts";

import { inconclusive, type Judgement } from "./judgement";

/**
 * Static levels: `above` breaches when the value is strictly greater than a level, `below`
 * when strictly smaller. Critical is checked first; a null level is not checked.
 *
 * @example
 * judgeStatic({ kind: "static", direction: "above", warning: 0.01, critical: 0.05 }, 0.02)
 * // warning breach, limit 0.01
 */
export function judgeStatic(
  threshold: z.infer<typeof StaticThreshold>,
  value: number | null,
): Judgement {
  if (value === null || !Number.isFinite(value)) return inconclusive("no value to judge");
  const crosses = (level: number) =>
    threshold.direction === "above" ? value > level : value < level;
  if (threshold.critical !== null && crosses(threshold.critical)) {
    return {
      verdict: { kind: "breach", severity: "critical" },
      limit: threshold.critical,
      reason: `${value} is ${threshold.direction} the critical level ${threshold.critical}`,
    };
  }
  if (threshold.warning !== null && crosses(threshold.warning)) {
    return {
      verdict: { kind: "breach", severity: "warning" },
      limit: threshold.warning,
      reason: `${value} is ${threshold.direction} the warning level ${threshold.warning}`,
    };
  }
  return {
    verdict: { kind: "healthy" },
    limit: threshold.warning ?? threshold.critical,
    reason: "within the levels",
  };
}
