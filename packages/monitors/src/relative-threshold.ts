import type { z } from "zod";

import type { RelativeThreshold } from "@plumbline/contracts";

import { inconclusive, type Judgement } from "./judgement";

/**
 * The change of `value` from `baseline` that a relative threshold compares with its levels:
 * `points` is the plain difference in the metric's own unit (a share of 0.05 is 5 percentage
 * points), `percent` is 100 * (value - baseline) / |baseline|. Null when a percent change of a
 * zero baseline is asked for (any change from zero is infinitely many percent).
 */
export function relativeChange(
  change: "points" | "percent",
  value: number,
  baseline: number,
): number | null {
  if (change === "points") return value - baseline;
  if (baseline === 0) return value === 0 ? 0 : null;
  return (100 * (value - baseline)) / Math.abs(baseline);
}

/**
 * Relative levels: the change from the baseline, signed by `direction` (`increase` counts rises,
 * `decrease` counts falls, `either` their size), breaches when strictly greater than a level.
 *
 * @example
 * // traffic 40% below the same hour last week, +/-50% levels: healthy
 * judgeRelative({ kind: "relative", baseline: "last_week", change: "percent",
 *   direction: "either", warning: 50, critical: null }, 60, 100)
 */
export function judgeRelative(
  threshold: z.infer<typeof RelativeThreshold>,
  value: number | null,
  baseline: number | null | undefined,
): Judgement {
  if (value === null || !Number.isFinite(value)) return inconclusive("no value to judge");
  if (baseline === null || baseline === undefined || !Number.isFinite(baseline)) {
    return inconclusive(`no ${threshold.baseline.replace("_", " ")} baseline`);
  }
  const change = relativeChange(threshold.change, value, baseline);
  if (change === null) return inconclusive("the baseline is zero: no percent change");
  const signed =
    threshold.direction === "increase"
      ? change
      : threshold.direction === "decrease"
        ? -change
        : Math.abs(change);
  const unit = threshold.change === "percent" ? "%" : " points";
  const describe = (level: number, name: string) =>
    `changed by ${formatChange(change)}${unit} from ${baseline} (${threshold.direction} past the ${name} level ${level})`;
  if (threshold.critical !== null && signed > threshold.critical) {
    return {
      verdict: { kind: "breach", severity: "critical" },
      limit: threshold.critical,
      reason: describe(threshold.critical, "critical"),
    };
  }
  if (threshold.warning !== null && signed > threshold.warning) {
    return {
      verdict: { kind: "breach", severity: "warning" },
      limit: threshold.warning,
      reason: describe(threshold.warning, "warning"),
    };
  }
  return {
    verdict: { kind: "healthy" },
    limit: threshold.warning ?? threshold.critical,
    reason: `changed by ${formatChange(change)}${unit} from ${baseline}`,
  };
}

function formatChange(change: number): string {
  return `${change >= 0 ? "+" : ""}${Number(change.toPrecision(4))}`;
}
