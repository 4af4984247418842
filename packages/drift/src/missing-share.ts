import { normalTwoSidedPValue } from "./normal-distribution";

export interface MissingShareResult {
  /** Missing rows / all rows in the reference (0 when it has no rows). */
  nullShareRef: number;
  /** Missing rows / all rows in the current window (0 when it has no rows). */
  nullShareCur: number;
  /** Pooled two-proportion z statistic, (cur - ref) / se; 0 when undefined. */
  z: number;
  /** Two-sided p-value of z; 1 when neither window has missing values. */
  pvalue: number;
  /** p < alpha and |nullShareCur - nullShareRef| >= minChange. */
  drift: boolean;
}

/**
 * Change in the share of missing values, by the pooled two-proportion z-test:
 * s1 = x1 / N1, s2 = x2 / N2, s = (x1 + x2) / (N1 + N2),
 * z = (s2 - s1) / sqrt(s (1 - s) (1 / N1 + 1 / N2)), p = 2 (1 - Phi(|z|)).
 * Drift when p < alpha (0.05) and the absolute change is at least minChange (0.05).
 *
 * Policy: with no missing values anywhere (or all missing, or an empty window) the test is
 * undefined and reports z = 0, p = 1, no drift.
 *
 * @example
 * import { missingShareTest } from "@plumbline/drift";
 * missingShareTest(10, 1000, 80, 1000).drift; // true
 */
export function missingShareTest(
  missingRef: number,
  rowsRef: number,
  missingCur: number,
  rowsCur: number,
  options: { alpha?: number; minChange?: number } = {},
): MissingShareResult {
  const alpha = options.alpha ?? 0.05;
  const minChange = options.minChange ?? 0.05;
  const nullShareRef = rowsRef > 0 ? missingRef / rowsRef : 0;
  const nullShareCur = rowsCur > 0 ? missingCur / rowsCur : 0;
  const pooled = rowsRef + rowsCur > 0 ? (missingRef + missingCur) / (rowsRef + rowsCur) : 0;
  const variance = pooled * (1 - pooled) * (1 / rowsRef + 1 / rowsCur);
  if (rowsRef === 0 || rowsCur === 0 || !(variance > 0)) {
    return { nullShareRef, nullShareCur, z: 0, pvalue: 1, drift: false };
  }
  const z = (nullShareCur - nullShareRef) / Math.sqrt(variance);
  const pvalue = normalTwoSidedPValue(z);
  const drift = pvalue < alpha && Math.abs(nullShareCur - nullShareRef) >= minChange;
  return { nullShareRef, nullShareCur, z, pvalue, drift };
}
