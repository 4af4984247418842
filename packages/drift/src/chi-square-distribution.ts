import { logGamma } from "./log-gamma";
import { regularizedGammaP, regularizedGammaQ } from "./regularized-gamma";

/**
 * Survival function of the chi-square distribution with `dof` degrees of freedom:
 * P(X > x) = Q(dof / 2, x / 2) (SciPy `chi2.sf`, Cephes `chdtrc`). With dof = 0 (a table with
 * one non-empty column) the statistic is always 0 and the p-value is 1, as in SciPy's
 * `chi2_contingency`.
 *
 * @example
 * chiSquareSurvival(3.841458820694124, 1); // 0.05
 */
export function chiSquareSurvival(x: number, dof: number): number {
  if (dof <= 0) return 1;
  if (Number.isNaN(x)) return Number.NaN;
  return regularizedGammaQ(dof / 2, x / 2);
}

const quantileCache = new Map<string, number>();

/**
 * Quantile (inverse CDF) of the chi-square distribution: the x with P(X <= x) = p. Wilson-Hilferty
 * start, then safeguarded Newton steps on P(dof/2, x/2). Results are cached per (p, dof) because
 * the inconclusive rule asks for the same few quantiles for every feature.
 *
 * @example
 * chiSquareQuantile(0.95, 1); // 3.841458820694124
 */
export function chiSquareQuantile(p: number, dof: number): number {
  if (!(dof > 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const key = `${p}:${dof}`;
  const cached = quantileCache.get(key);
  if (cached !== undefined) return cached;
  const a = dof / 2;
  // Wilson-Hilferty: chi2_p ~ dof (1 - 2/(9 dof) + z sqrt(2/(9 dof)))^3.
  const z = normalQuantileApproximation(p);
  const h = 2 / (9 * dof);
  let x = Math.max(dof * Math.pow(1 - h + z * Math.sqrt(h), 3), 1e-8);
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 200; i++) {
    const error = regularizedGammaP(a, x / 2) - p;
    if (error > 0) high = Math.min(high, x);
    else low = Math.max(low, x);
    const logDensity = (a - 1) * Math.log(x) - x / 2 - a * Math.LN2 - logGamma(a);
    let next = x - error / Math.exp(logDensity);
    if (!(next > low && next < high)) next = Number.isFinite(high) ? (low + high) / 2 : 2 * x;
    if (Math.abs(next - x) <= 1e-15 * x) {
      x = next;
      break;
    }
    x = next;
  }
  quantileCache.set(key, x);
  return x;
}

// Acklam's rational approximation (relative error 1.15e-9), only a starting point here.
function normalQuantileApproximation(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}
