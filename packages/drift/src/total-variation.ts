import { checkSameLength, total } from "./population-stability-index";

export interface DistributionDistances {
  /** Total variation distance 1/2 sum |p - q|, in [0, 1]. */
  tvd: number;
  /** L-infinity distance max |p - q|, in [0, 1]. */
  linf: number;
}

/**
 * Total variation and L-infinity distances between p = c / n and q = d / m, over aligned
 * categories (for categorical features, the union of both windows' categories).
 *
 * Policy: same-length arrays (else RangeError); n = 0 or m = 0 gives 0 for both.
 *
 * @example
 * import { totalVariation } from "@plumbline/drift";
 * totalVariation([5, 5, 0], [0, 5, 5]); // { tvd: 0.5, linf: 0.5 }
 */
export function totalVariation(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): DistributionDistances {
  const k = checkSameLength(referenceCounts, currentCounts);
  const n = total(referenceCounts);
  const m = total(currentCounts);
  if (n === 0 || m === 0) return { tvd: 0, linf: 0 };
  let sum = 0;
  let compensation = 0;
  let linf = 0;
  for (let i = 0; i < k; i++) {
    const term = Math.abs((referenceCounts[i] as number) / n - (currentCounts[i] as number) / m);
    if (term > linf) linf = term;
    const t = sum + term;
    compensation += sum >= term ? sum - t + term : term - t + sum;
    sum = t;
  }
  return { tvd: Math.min((sum + compensation) / 2, 1), linf };
}
