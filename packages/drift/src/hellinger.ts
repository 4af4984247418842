import { checkSameLength, total } from "./population-stability-index";

/**
 * Hellinger distance between p = c / n and q = d / m, unsmoothed:
 * H = ||sqrt(p) - sqrt(q)||_2 / sqrt(2), in [0, 1].
 *
 * Policy: same-length arrays (else RangeError); n = 0 or m = 0 gives 0.
 *
 * @example
 * import { hellinger } from "@plumbline/drift";
 * hellinger([1, 0], [0, 1]); // 1
 */
export function hellinger(
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
    const diff =
      Math.sqrt((referenceCounts[i] as number) / n) - Math.sqrt((currentCounts[i] as number) / m);
    const term = diff * diff;
    const t = sum + term;
    compensation += sum >= term ? sum - t + term : term - t + sum;
    sum = t;
  }
  return Math.min(Math.sqrt((sum + compensation) / 2), 1);
}
