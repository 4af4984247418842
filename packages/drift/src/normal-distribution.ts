import { regularizedGammaQ } from "./regularized-gamma";

/**
 * Two-sided p-value of a standard normal statistic: P(|Z| >= |z|) = erfc(|z| / sqrt 2)
 * = Q(1/2, z^2 / 2), through the regularized incomplete gamma function, which keeps full
 * relative accuracy far into the tail (SciPy: `2 * norm.sf(abs(z))`).
 *
 * @example
 * normalTwoSidedPValue(1.959963984540054); // 0.05
 */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === 0) return 1;
  return regularizedGammaQ(0.5, (z * z) / 2);
}

/**
 * Upper tail of the standard normal distribution, P(Z > z) (SciPy `norm.sf`).
 *
 * @example
 * normalSurvival(0); // 0.5
 */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const tail = z === 0 ? 0.5 : regularizedGammaQ(0.5, (z * z) / 2) / 2;
  return z >= 0 ? tail : 1 - tail;
}
