// Exact null distribution of the two-sample, two-sided Kolmogorov-Smirnov statistic, a port of
// SciPy's `_compute_prob_outside_square` (n == m) and `_compute_outer_prob_inside_method`
// (scipy/stats/_stats_pythran.py), which follow Hodges (1958) and Viehmann (2021,
// arXiv:2102.08037) for the numerically stable recursion of 1 - p.

/**
 * P(D_{n,m} >= h / lcm(n, m)) under the null hypothesis, for sample sizes n and m with greatest
 * common divisor g. Returns NaN when the recursion fails (never observed with these recursions;
 * the caller then falls back to the asymptotic distribution, as SciPy does).
 *
 * @example
 * ksExactTwoSidedSurvival(5, 5, 5, 3); // P(D >= 0.6) for n = m = 5: 0.357…
 */
export function ksExactTwoSidedSurvival(n: number, m: number, g: number, h: number): number {
  if (h === 0) return 1;
  return n === m ? probabilityOutsideSquare(n, h) : outerProbabilityInside(n, m, g, h);
}

// P = 2 * A0 * (1 - A1 * (1 - A2 * (1 - ...))), each A_k a ratio of binomials built from h
// simple factors.
function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

// Lattice paths from (0, 0) to (m, n) leaving the band |x/m - y/n| < h/lcm, as a probability,
// one sliding window of one column at a time.
function outerProbabilityInside(n1: number, n2: number, g: number, h: number): number {
  let m = n1;
  let n = n2;
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxJ - minJ;
  const lengthA = Math.min(2 * maxJ + 2, n + 1);
  const a = new Float64Array(lengthA).fill(1);
  a.fill(0, minJ, maxJ);
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = currentLength;
    minJ = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minJ = Math.min(minJ, n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    let value = minJ === 0 ? 0 : 1;
    for (let jj = 0; jj < maxJ - minJ; jj++) {
      const j = jj + minJ;
      value = ((a[jj + minJ - lastMinJ] as number) * i + value * j) / (i + j);
      a[jj] = value;
    }
    currentLength = maxJ - minJ;
    if (lastLength > currentLength) {
      a.fill(1, maxJ - minJ, maxJ - minJ + (lastLength - currentLength));
    }
  }
  return a[maxJ - minJ - 1] as number;
}
