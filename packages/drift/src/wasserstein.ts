import { populationMoments } from "./population-moments";
import { sortFinite } from "./sort-finite";

export interface WassersteinResult {
  /** W1 = integral of |F_ref(x) - F_cur(x)| dx (SciPy `wasserstein_distance`). */
  w1: number;
  /** w1 / max(std_pop(reference), 0.001): comparable across features of different scales. */
  w1NormStd: number;
  /** Finite values used from each sample. */
  n: { reference: number; current: number };
}

/** Floor of the reference standard deviation in `w1NormStd`, so constants do not divide by 0. */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/**
 * Wasserstein-1 (earth mover's) distance between two samples:
 * W1 = integral |F_ref(x) - F_cur(x)| dx, summed exactly between consecutive pooled values
 * (SciPy `wasserstein_distance(reference, current)`), with a compensated sum. Also returns
 * `w1NormStd = w1 / max(std_pop(reference), 0.001)`.
 *
 * Missing-value policy: non-finite values are skipped; if either sample is then empty the
 * distance is undefined and the documented neutral value w1 = 0 is returned.
 *
 * @example
 * import { wasserstein } from "@plumbline/drift";
 * wasserstein([0, 1, 3], [5, 6, 8]).w1; // 5
 */
export function wasserstein(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): WassersteinResult {
  return wassersteinSorted(sortFinite(reference), sortFinite(current));
}

/** W1 on samples already sorted ascending and free of non-finite values. */
export function wassersteinSorted(
  reference: Float64Array,
  current: Float64Array,
  referenceStd?: number,
): WassersteinResult {
  const n1 = reference.length;
  const n2 = current.length;
  const n = { reference: n1, current: n2 };
  if (n1 === 0 || n2 === 0) return { w1: 0, w1NormStd: 0, n };
  const w1 = w1Sorted(reference, current);
  const std = referenceStd ?? populationMoments(reference).std;
  return { w1, w1NormStd: w1 / Math.max(std, WASSERSTEIN_STD_FLOOR), n };
}

/** The W1 integral by one merge pass over two sorted samples (each non-empty). */
export function w1Sorted(reference: Float64Array, current: Float64Array): number {
  const n1 = reference.length;
  const n2 = current.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let compensation = 0;
  let x = Math.min(reference[0] as number, current[0] as number);
  while (i < n1 || j < n2) {
    while (i < n1 && (reference[i] as number) <= x) i++;
    while (j < n2 && (current[j] as number) <= x) j++;
    if (i === n1 && j === n2) break;
    const a = i < n1 ? (reference[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < n2 ? (current[j] as number) : Number.POSITIVE_INFINITY;
    const next = a < b ? a : b;
    const term = Math.abs(i / n1 - j / n2) * (next - x);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    x = next;
  }
  return sum + compensation;
}
