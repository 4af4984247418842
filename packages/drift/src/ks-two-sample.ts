import { kolmogorovSurvival } from "./kolmogorov-distribution";
import { ksExactTwoSidedSurvival } from "./ks-exact-distribution";
import { ksStatisticSorted, ksStatisticUnsorted } from "./ks-statistic";

/** How the p-value is computed; "auto" is SciPy's rule: exact when max(n, m) <= 10,000. */
export type KsMethod = "auto" | "exact" | "asymp";

export interface KsOptions {
  method?: KsMethod;
}

export interface KsResult {
  /** D = max |F_ref(x) - F_cur(x)|, in [0, 1]. */
  statistic: number;
  /** Two-sided p-value, equal to SciPy `ks_2samp(reference, current, method=...)`. */
  pvalue: number;
  /** The method actually used (SciPy falls back from "exact" to "asymp" the same way). */
  method: "exact" | "asymp";
  /** The pooled value where D is reached (SciPy's `statistic_location`); null when empty. */
  location: number | null;
  /** +1 when F_ref - F_cur is largest there (the reference lies left), -1 otherwise. */
  sign: 1 | -1;
  /** Finite values used from each sample. */
  n: { reference: number; current: number };
}

const MAX_AUTO_N = 10_000;
const INT32_MAX = 2_147_483_647;

/**
 * Two-sample, two-sided Kolmogorov-Smirnov test.
 *
 * D = max over the pooled points x of |F_ref(x) - F_cur(x)|, with right-continuous ECDFs
 * F(x) = #{values <= x} / n. The p-value equals SciPy `ks_2samp(reference, current, method)`:
 * "exact" computes P(D_{n,m} >= D) by Hodges' lattice-path recursion (n == m: closed form),
 * "asymp" uses `kstwo.sf(D, round(n m / (n + m)))`, and "auto" is exact when
 * max(n, m) <= 10,000 and asymptotic above. In exact mode D is reported as h / lcm(n, m) with
 * h = round(D lcm(n, m)), as SciPy does.
 *
 * Missing-value policy (the package's one policy): non-finite values (NaN, +/-Infinity) are
 * missing and skipped. If either sample is then empty the test is undefined and the result is
 * the documented neutral value D = 0, p = 1, location = null.
 *
 * Cost: O(n + m) without a full sort. Values are bucketed by value; the ECDF difference at bucket
 * ends bounds D from below, the bucket counts bound it from above inside each bucket, and only
 * the few buckets that can reach D are sorted and merged exactly (see ks-statistic.ts). The
 * result is identical to sorting both samples.
 *
 * @example
 * import { ksTwoSample } from "@plumbline/drift";
 * const result = ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
 * // result.statistic === 0.5, result.method === "exact", result.pvalue ≈ 0.35714, result.location === 5
 */
export function ksTwoSample(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: KsOptions = {},
): KsResult {
  const found = ksStatisticUnsorted(reference, current);
  const requested = options.method ?? "auto";
  const n = { reference: found.n1, current: found.n2 };
  if (found.n1 === 0 || found.n2 === 0) return emptyResult(requested, n);
  const { d, pvalue, method } = ksPValue(found.statistic, found.n1, found.n2, requested);
  return { statistic: d, pvalue, method, location: found.location, sign: found.sign, n };
}

function emptyResult(requested: KsMethod, n: KsResult["n"]): KsResult {
  return {
    statistic: 0,
    pvalue: 1,
    method: requested === "asymp" ? "asymp" : "exact",
    location: null,
    sign: 1,
    n,
  };
}

/**
 * The same test on samples that are already sorted ascending and free of non-finite values
 * (the precondition is the caller's; profiles store their reference this way).
 */
export function ksTwoSampleSorted(
  reference: Float64Array,
  current: Float64Array,
  options: KsOptions = {},
): KsResult {
  const n1 = reference.length;
  const n2 = current.length;
  const requested = options.method ?? "auto";
  if (n1 === 0 || n2 === 0) return emptyResult(requested, { reference: n1, current: n2 });
  const { statistic, location, sign } = ksStatisticSorted(reference, current);
  const { d, pvalue, method } = ksPValue(statistic, n1, n2, requested);
  return { statistic: d, pvalue, method, location, sign, n: { reference: n1, current: n2 } };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Two-sided p-value of an observed D for sample sizes n1, n2, with SciPy's method selection and
 * fallback. Returns the D that SciPy reports (h / lcm in exact mode).
 */
export function ksPValue(
  statistic: number,
  n1: number,
  n2: number,
  requested: KsMethod = "auto",
): { d: number; pvalue: number; method: "exact" | "asymp" } {
  let method: "exact" | "asymp";
  const g = gcd(n1, n2);
  if (requested === "auto") method = Math.max(n1, n2) <= MAX_AUTO_N ? "exact" : "asymp";
  else if (requested === "exact") method = n1 / g >= INT32_MAX / (n2 / g) ? "asymp" : "exact";
  else method = "asymp";
  let d = statistic;
  if (method === "exact") {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(statistic * lcm);
    d = h / lcm;
    const p = ksExactTwoSidedSurvival(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { d, pvalue: p, method };
    method = "asymp";
  }
  const big = Math.max(n1, n2);
  const small = Math.min(n1, n2);
  const en = (big * small) / (big + small);
  const p = kolmogorovSurvival(d, roundHalfEven(en));
  return { d, pvalue: Math.min(Math.max(p, 0), 1), method };
}
