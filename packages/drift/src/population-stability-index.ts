/** Floor of a bin share in the epsilon-floor PSI variant (Evidently's and NannyML's choice). */
export const PSI_EPSILON_FLOOR = 1e-4;

/**
 * Population stability index with Laplace smoothing, over K bins (OOV included):
 * p_i = (c_i + 0.5) / (n + 0.5 K), q_i = (d_i + 0.5) / (m + 0.5 K),
 * PSI = sum_i (q_i - p_i) ln(q_i / p_i).
 * Smoothing keeps empty bins finite without the arbitrary epsilon, and shrinks towards uniform
 * by the same half-count in both windows, so the PSI of two samples of one distribution stays
 * small even for small windows. Always >= 0.
 *
 * Policy: both arrays must have the same length (else RangeError). With n = 0 or m = 0 there
 * is nothing to compare and the result is 0.
 *
 * @example
 * import { populationStabilityIndex } from "@plumbline/drift";
 * populationStabilityIndex([50, 50], [30, 70]); // 0.1659…
 */
export function populationStabilityIndex(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const k = checkSameLength(referenceCounts, currentCounts);
  const n = total(referenceCounts);
  const m = total(currentCounts);
  if (n === 0 || m === 0) return 0;
  const pDenominator = n + 0.5 * k;
  const qDenominator = m + 0.5 * k;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < k; i++) {
    const p = ((referenceCounts[i] as number) + 0.5) / pDenominator;
    const q = ((currentCounts[i] as number) + 0.5) / qDenominator;
    const term = (q - p) * Math.log(q / p);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return Math.max(sum + compensation, 0);
}

/**
 * The epsilon-floor PSI used by other tools, for comparison: p_i = max(c_i / n, 1e-4),
 * q_i = max(d_i / m, 1e-4), no renormalisation; PSI = sum (q_i - p_i) ln(q_i / p_i).
 *
 * @example
 * import { populationStabilityIndexEpsilonFloor } from "@plumbline/drift";
 * populationStabilityIndexEpsilonFloor([10, 0], [5, 5]); // -0.5 ln 0.5 + 0.4999 ln 5000 = 4.604…
 */
export function populationStabilityIndexEpsilonFloor(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const k = checkSameLength(referenceCounts, currentCounts);
  const n = total(referenceCounts);
  const m = total(currentCounts);
  if (n === 0 || m === 0) return 0;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < k; i++) {
    const p = Math.max((referenceCounts[i] as number) / n, PSI_EPSILON_FLOOR);
    const q = Math.max((currentCounts[i] as number) / m, PSI_EPSILON_FLOOR);
    const term = (q - p) * Math.log(q / p);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return Math.max(sum + compensation, 0);
}

/** Sum of non-negative counts (integers well below 2^53, so plain addition is exact). */
export function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i] as number;
  return sum;
}

export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`count vectors differ in length: ${a.length} vs ${b.length}`);
  }
  return a.length;
}
