import type { FairnessGroupCounts } from "./evaluation";

/**
 * Group fairness metrics from per-group confusion counts (spec, "Fairness gates"; the
 * conventions of Fairlearn's `demographic_parity_*` and `equalized_odds_difference`).
 *
 * For a group g with counts TP, FP, TN, FN and size n = TP + FP + TN + FN:
 *   selection rate       SR_g  = (TP + FP) / n          = P(prediction = 1 | g)
 *   true positive rate   TPR_g = TP / (TP + FN)         = P(prediction = 1 | label = 1, g)
 *   false positive rate  FPR_g = FP / (FP + TN)         = P(prediction = 1 | label = 0, g)
 * Across groups:
 *   demographic parity ratio        = min SR / max SR   (four-fifths rule: flag < 0.8)
 *   demographic parity difference   = max SR - min SR
 *   equalized odds difference       = max(max TPR - min TPR, max FPR - min FPR)
 *   equal opportunity difference    = max TPR - min TPR
 *
 * Policy for undefined input: a rate with a zero denominator is `null`, and a metric that needs
 * a `null` rate, or that has fewer than two groups to compare, is `null` (undefined), never 0.
 * When every selection rate is 0 the ratio is 1: no group is favoured.
 *
 * @example
 * const rates = [
 *   groupRates({ feature: "sex", group: "a", truePositives: 40, falsePositives: 10, trueNegatives: 40, falseNegatives: 10 }),
 *   groupRates({ feature: "sex", group: "b", truePositives: 20, falsePositives: 5, trueNegatives: 55, falseNegatives: 20 }),
 * ];
 * fairnessMetric("demographic_parity_ratio", rates); // 0.25 / 0.5 = 0.5
 * fairnessMetric("equalized_odds_difference", rates); // max(0.8 - 0.5, 0.2 - 0.0833) = 0.3
 */
export const FAIRNESS_METRICS = [
  "demographic_parity_ratio",
  "demographic_parity_difference",
  "equalized_odds_difference",
  "equal_opportunity_difference",
] as const;

export type FairnessMetric = (typeof FAIRNESS_METRICS)[number];

/** Spec default: groups smaller than 30 make a fairness result inconclusive, never pass. */
export const DEFAULT_MIN_GROUP_SIZE = 30;

export interface GroupRates {
  feature: string;
  group: string;
  size: number;
  selectionRate: number | null;
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
}

export function groupRates(counts: FairnessGroupCounts): GroupRates {
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = counts;
  const size = tp + fp + tn + fn;
  return {
    feature: counts.feature,
    group: counts.group,
    size,
    selectionRate: ratio(tp + fp, size),
    truePositiveRate: ratio(tp, tp + fn),
    falsePositiveRate: ratio(fp, fp + tn),
  };
}

/** One fairness metric across the given groups (see the module comment for formulas). */
export function fairnessMetric(
  metric: FairnessMetric,
  groups: readonly GroupRates[],
): number | null {
  switch (metric) {
    case "demographic_parity_ratio": {
      const rates = definedRates(groups, "selectionRate");
      if (rates === null) return null;
      const max = Math.max(...rates);
      return max === 0 ? 1 : Math.min(...rates) / max;
    }
    case "demographic_parity_difference":
      return range(definedRates(groups, "selectionRate"));
    case "equal_opportunity_difference":
      return range(definedRates(groups, "truePositiveRate"));
    case "equalized_odds_difference": {
      const tpr = range(definedRates(groups, "truePositiveRate"));
      const fpr = range(definedRates(groups, "falsePositiveRate"));
      return tpr === null || fpr === null ? null : Math.max(tpr, fpr);
    }
  }
}

export interface FairnessAssessment {
  groups: GroupRates[];
  /** Groups whose size is below `minGroupSize`, in input order. */
  smallGroups: string[];
  /** The metric over every group, small ones included (what a reader sees). */
  value: number | null;
  /** The metric over the groups of adequate size only (what may prove a failure). */
  valueOverAdequateGroups: number | null;
}

/**
 * Computes `metric` for the groups of one sensitive feature, keeping apart the value over all
 * groups and the value over the groups of at least `minGroupSize` rows. The gate uses the second
 * to decide a failure (adding groups can only widen a range, so a failure among adequately sized
 * groups is real) and reports inconclusive, never pass, as soon as any group is too small.
 */
export function assessFairness(
  metric: FairnessMetric,
  counts: readonly FairnessGroupCounts[],
  minGroupSize: number = DEFAULT_MIN_GROUP_SIZE,
): FairnessAssessment {
  const groups = counts.map(groupRates);
  const adequate = groups.filter((group) => group.size >= minGroupSize);
  return {
    groups,
    smallGroups: groups.filter((group) => group.size < minGroupSize).map((group) => group.group),
    value: fairnessMetric(metric, groups),
    valueOverAdequateGroups: fairnessMetric(metric, adequate),
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function definedRates(
  groups: readonly GroupRates[],
  key: "selectionRate" | "truePositiveRate" | "falsePositiveRate",
): number[] | null {
  if (groups.length < 2) return null;
  const rates: number[] = [];
  for (const group of groups) {
    const rate = group[key];
    if (rate === null) return null;
    rates.push(rate);
  }
  return rates;
}

function range(rates: number[] | null): number | null {
  return rates === null ? null : Math.max(...rates) - Math.min(...rates);
}
