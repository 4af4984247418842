/**
 * ROC-AUC from score-bin counts split by the actual class: the trapezoid rule over the ROC
 * curve whose points are the bin edges, thresholds swept from the highest bin down
 * (TPR_k = positives at or above bin k / all positives, FPR_k likewise for negatives).
 *
 *   AUC = (1 / (P * N)) * sum_k (FP_k - FP_{k+1}) * (TP_k + TP_{k+1}) / 2
 *
 * This equals the Mann-Whitney U statistic with every pair inside one bin counted as a tie
 * (1/2): exact when no positive and negative share a bin, and otherwise off by at most half
 * the share of pairs that do. Null when either class is absent (the curve is undefined).
 *
 * @example rocAucFromBins([0, 1, 0, 2], [1, 1, 1, 0]) // 7.5 / 9 = 0.8333...
 */
export function rocAucFromBins(
  positives: readonly number[],
  negatives: readonly number[],
): number | null {
  const bins = Math.max(positives.length, negatives.length);
  let truePositives = 0;
  let falsePositives = 0;
  let area = 0;
  for (let bin = bins - 1; bin >= 0; bin -= 1) {
    const nextTruePositives = truePositives + (positives[bin] ?? 0);
    const nextFalsePositives = falsePositives + (negatives[bin] ?? 0);
    area += ((nextFalsePositives - falsePositives) * (truePositives + nextTruePositives)) / 2;
    truePositives = nextTruePositives;
    falsePositives = nextFalsePositives;
  }
  if (truePositives <= 0 || falsePositives <= 0) return null;
  return area / (truePositives * falsePositives);
}
