/** One point of a reliability (calibration) diagram. */
export interface ReliabilityPoint {
  /** Index of the score bin, 0-based. */
  bin: number;
  /** The bin's score range, [lower, upper) (the last bin also holds 1). */
  lower: number;
  upper: number;
  /** Labeled predictions whose P(positive) fell in the bin. */
  count: number;
  /** Mean P(positive) of those predictions: the x of the point. */
  meanScore: number;
  /** Share of them whose label was the positive class: the y. A calibrated model sits on y = x. */
  positiveShare: number;
}

/**
 * The reliability diagram of a binary classifier from equal-width bins over [0, 1]: per bin,
 * positives, negatives and the sum of P(positive). Empty bins have no point.
 *
 * @example reliabilityPoints([0, 3], [1, 1], [0.2, 3.2])
 *   // [{ bin: 0, lower: 0, upper: 0.5, count: 1, meanScore: 0.2, positiveShare: 0 },
 *   //  { bin: 1, lower: 0.5, upper: 1, count: 4, meanScore: 0.8, positiveShare: 0.75 }]
 */
export function reliabilityPoints(
  positives: readonly number[],
  negatives: readonly number[],
  scoreSums: readonly number[],
): ReliabilityPoint[] {
  const bins = Math.max(positives.length, negatives.length);
  const points: ReliabilityPoint[] = [];
  for (let bin = 0; bin < bins; bin += 1) {
    const positive = positives[bin] ?? 0;
    const count = positive + (negatives[bin] ?? 0);
    if (count <= 0) continue;
    points.push({
      bin,
      lower: bin / bins,
      upper: (bin + 1) / bins,
      count,
      meanScore: (scoreSums[bin] ?? 0) / count,
      positiveShare: positive / count,
    });
  }
  return points;
}
