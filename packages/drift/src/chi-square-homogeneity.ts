import { chiSquareSurvival } from "./chi-square-distribution";
import { checkSameLength, total } from "./population-stability-index";

export interface ChiSquareResult {
  statistic: number;
  /** Non-empty columns minus one. */
  dof: number;
  pvalue: number;
}

/**
 * Pearson chi-square test of homogeneity on the 2 x K table (reference counts, current counts),
 * without continuity correction, dropping columns whose total is zero:
 * E_rj = row_r * col_j / N, X^2 = sum (O - E)^2 / E, dof = (non-empty columns) - 1,
 * p = chi2.sf(X^2, dof). Equals SciPy `chi2_contingency([c, d], correction=False)` on the
 * non-empty columns. Unlike a goodness-of-fit test against the reference shares, it accounts for
 * the sampling noise of both windows, so it keeps its nominal false-alarm rate.
 *
 * Policy: same-length arrays (else RangeError). An empty row (n = 0 or m = 0) or a single
 * non-empty column leaves nothing to test: statistic 0, dof 0, p-value 1.
 *
 * @example
 * import { chiSquareHomogeneity } from "@plumbline/drift";
 * chiSquareHomogeneity([10, 20, 30], [20, 20, 20]); // { statistic: 5.333…, dof: 2, pvalue: 0.0695… }
 */
export function chiSquareHomogeneity(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  const k = checkSameLength(referenceCounts, currentCounts);
  const n = total(referenceCounts);
  const m = total(currentCounts);
  if (n === 0 || m === 0) return { statistic: 0, dof: 0, pvalue: 1 };
  const grand = n + m;
  let columns = 0;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < k; i++) {
    const c = referenceCounts[i] as number;
    const d = currentCounts[i] as number;
    const column = c + d;
    if (column === 0) continue;
    columns++;
    const expectedRef = (n * column) / grand;
    const expectedCur = (m * column) / grand;
    const term = (c - expectedRef) ** 2 / expectedRef + (d - expectedCur) ** 2 / expectedCur;
    const t = sum + term;
    compensation += sum >= term ? sum - t + term : term - t + sum;
    sum = t;
  }
  const dof = columns - 1;
  if (dof <= 0) return { statistic: 0, dof: 0, pvalue: 1 };
  const statistic = sum + compensation;
  return { statistic, dof, pvalue: chiSquareSurvival(statistic, dof) };
}

/**
 * Cramer's V of a 2 x K table: sqrt(X^2 / (N min(r - 1, c - 1))) = sqrt(X^2 / (n + m)).
 *
 * @example
 * cramersV(5.333333333333333, 120); // 0.2108…
 */
export function cramersV(statistic: number, grandTotal: number): number {
  return grandTotal > 0 ? Math.min(Math.sqrt(statistic / grandTotal), 1) : 0;
}
