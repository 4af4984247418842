import { checkSameLength, total } from "./population-stability-index";

export interface JensenShannonResult {
  /** sqrt of the divergence, base 2: in [0, 1] (SciPy `jensenshannon(p, q, base=2)`). */
  distance: number;
  /** JS divergence, base 2 (the distance squared), in [0, 1]. */
  divergence: number;
}

/**
 * Jensen-Shannon distance in base 2 between the distributions p = c / n and q = d / m:
 * M = (p + q) / 2, JSD = (KL(p || M) + KL(q || M)) / 2 / ln 2, distance = sqrt(JSD).
 * Terms with p_i = 0 contribute 0 (SciPy's `rel_entr`). Bounded by 1, symmetric, 0 iff p = q.
 * Base 2 (range 0..1) rather than Evidently's natural log (max sqrt(ln 2) = 0.8326), so the
 * thresholds read as fractions of the maximum.
 *
 * Policy: same-length arrays (else RangeError); n = 0 or m = 0 gives distance 0.
 *
 * @example
 * import { jensenShannon } from "@plumbline/drift";
 * jensenShannon([1, 0], [0, 1]).distance; // 1
 */
export function jensenShannon(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): JensenShannonResult {
  const k = checkSameLength(referenceCounts, currentCounts);
  const n = total(referenceCounts);
  const m = total(currentCounts);
  if (n === 0 || m === 0) return { distance: 0, divergence: 0 };
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < k; i++) {
    const p = (referenceCounts[i] as number) / n;
    const q = (currentCounts[i] as number) / m;
    const mid = (p + q) / 2;
    let term = 0;
    if (p > 0) term += p * Math.log(p / mid);
    if (q > 0) term += q * Math.log(q / mid);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  const divergence = Math.min(Math.max((sum + compensation) / 2 / Math.LN2, 0), 1);
  return { distance: Math.sqrt(divergence), divergence };
}
