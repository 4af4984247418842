// Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n, a port of
// SciPy's `kstwo.sf` (scipy/stats/_ksstats.py, after Simard & L'Ecuyer 2011), branch for branch:
// Ruben-Gambino closed forms at the extremes, twice the one-sided Smirnov probability where it is
// exact or negligibly different, the Durbin matrix (Marsaglia-Tsang-Wang) and Pomeranz recursions
// for small n, and the Pelz-Good expansion for large n.

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** 128;
const SCALE_DOWN = 2 ** -128;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

/**
 * P(D_n > d) for the two-sided Kolmogorov-Smirnov statistic of a sample of size n (SciPy
 * `kstwo.sf(d, n)`), where D_n = sup |F_n - F|.
 *
 * @example
 * kolmogorovSurvival(0.1, 100); // 0.25269… (kstwo.sf(0.1, 100))
 */
export function kolmogorovSurvival(d: number, n: number): number {
  if (Number.isNaN(d) || !(n >= 1) || !Number.isInteger(n)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let probability: number;
    if (n <= 140) {
      probability = 1;
      for (let i = 1; i <= n; i++) probability *= i * (1 / n) * (2 * t - 1);
    } else {
      probability = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - probability);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return clip(2 * smirnovSurvival(n, d));
  const nxSquared = t * d;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip(1 - durbinMatrixCdf(n, d));
    if (nxSquared <= 4) return clip(1 - pomeranzCdf(n, d));
    return clip(2 * smirnovSurvival(n, d));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSurvival(n, d));
  let cdf: number;
  if (nxSquared >= 18) cdf = 1;
  else if (n <= 100000 && n * Math.pow(d, 1.5) <= 1.4) cdf = durbinMatrixCdf(n, d);
  else cdf = pelzGoodCdf(n, d);
  return clip(1 - cdf);
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

// log(n! / n^n) by Stirling's series with n log n removed up front.
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/**
 * One-sided Smirnov probability P(D_n^+ >= d), exact Birnbaum-Tingey sum
 * sum_{j=0}^{floor(n(1-d))} C(n, j) d (d + j/n)^(j-1) (1 - d - j/n)^(n-j), all terms positive,
 * each evaluated in log space (SciPy `special.smirnov`).
 */
export function smirnovSurvival(n: number, d: number): number {
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const last = Math.floor(n * (1 - d));
  const logD = Math.log(d);
  let logBinomial = 0;
  let sum = 0;
  let compensation = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const rest = 1 - d - j / n;
    let term: number;
    if (rest <= 0) {
      term = j === n ? Math.exp(logBinomial + logD + (j - 1) * Math.log(d + j / n)) : 0;
    } else {
      const exponent =
        logBinomial + logD + (j - 1) * Math.log(d + j / n) + (n - j) * Math.log1p(-d - j / n);
      term = exponent < -745 ? 0 : Math.exp(exponent);
    }
    const s = sum + term;
    compensation += Math.abs(sum) >= term ? sum - s + term : term - s + sum;
    sum = s;
  }
  return sum + compensation;
}

// Durbin (1968) matrix method with Marsaglia, Tsang & Wang's (2003) scaling: P(D_n <= d).
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * factorial;
  }
  const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + tt) * factorial;
  let matrix = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) matrix[r * m + i] = w[r - i + 1] as number;
  }
  for (let r = 0; r < m; r++) matrix[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) matrix[(m - 1) * m + c] = v[m - 1 - c] as number;

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let scratch = new Float64Array(m * m);
  let nn = n;
  let exponent = 0;
  let matrixExponent = 0;
  while (nn > 0) {
    if (nn % 2) {
      multiply(power, matrix, scratch, m);
      [power, scratch] = [scratch, power];
      exponent += matrixExponent;
    }
    multiply(matrix, matrix, scratch, m);
    [matrix, scratch] = [scratch, matrix];
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)] as number) > SCALE_UP) {
      for (let i = 0; i < m * m; i++) (matrix[i] as number) /= SCALE_UP;
      matrixExponent += SCALE_EXPONENT;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  if (exponent !== 0) p *= Math.pow(2, exponent);
  return clip(p);
}

function multiply(a: Float64Array, b: Float64Array, out: Float64Array, m: number): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l] as number;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) (out[i * m + j] as number) += ail * (b[l * m + j] as number);
    }
  }
}

function pomeranzInterval(
  i: number,
  n: number,
  ll: number,
  ceilF: number,
  roundF: number,
): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

// Pomeranz (1974) recursion: P(D_n <= d).
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const powers = 2 * (ll + 1);
  const gPower = new Float64Array(powers);
  const twoGPower = new Float64Array(powers);
  const oneMinusTwoGPower = new Float64Array(powers);
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  let exponent = 0;
  for (let m = 1; m < powers; m++) {
    gPower[m] = ((gPower[m - 1] as number) * (g / n)) / m;
    twoGPower[m] = ((twoGPower[m - 1] as number) * ((2 * g) / n)) / m;
    oneMinusTwoGPower[m] = ((oneMinusTwoGPower[m - 1] as number) * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(powers);
  let v1 = new Float64Array(powers);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let [j1] = pomeranzInterval(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    const [nextJ1, j2] = pomeranzInterval(i, n, ll, ceilF, roundF);
    j1 = nextJ1;
    const pw = i === 1 || i === 2 * n + 1 ? gPower : i % 2 ? twoGPower : oneMinusTwoGPower;
    const length = j2 - k1 + 1;
    if (length > 0) {
      const base = k1 - v0Start;
      // NumPy slices past the end of the row silently shorten it; do the same.
      const rowLength = Math.min(length, powers - base);
      const convStart = j1 - k1;
      const convLength = j2 - j1 + 1;
      let maximum = 0;
      for (let r = 0; r < convLength; r++) {
        // Full convolution of v0[base .. base+rowLength) with pw[0 .. length), entry convStart + r.
        const index = convStart + r;
        let sum = 0;
        const lowQ = Math.max(0, index - (length - 1));
        const highQ = Math.min(index, rowLength - 1);
        for (let q = lowQ; q <= highQ; q++) {
          sum += (v0[base + q] as number) * (pw[index - q] as number);
        }
        v1[r] = sum;
        if (sum > maximum) maximum = sum;
      }
      if (maximum > 0 && maximum < SCALE_DOWN) {
        for (let r = 0; r < powers; r++) (v1[r] as number) *= SCALE_UP;
        exponent -= SCALE_EXPONENT;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let answer = v1[n - v1Start] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += SCALE_EXPONENT;
    }
    answer *= m;
  }
  if (exponent !== 0) answer *= Math.pow(2, exponent);
  return clip(answer);
}

// Pelz & Good (1976) expansion of P(D_n <= x) in powers of 1/sqrt(n).
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -PI_SQUARED / 8 / z2;
  if (qLog < MIN_LOG) return 0;
  let q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIX * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOUR * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = Math.pow(q, 8 * k);
    s0 = s0 * qPower + 1;
    s1 = s1 * qPower + (k1a + k1b * m2);
    s2 = s2 * qPower + (k2a + k2b * m2 + k2c * m4);
    s3 = s3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  s0 = (s0 * q * SQRT_2PI) / z;
  s1 = (s1 * q * SQRT_2PI) / (6 * z4);
  s2 = (s2 * q * SQRT_2PI) / (72 * z ** 7);
  s3 = (s3 * q * SQRT_2PI) / (6480 * z ** 10);
  q = Math.exp(-PI_SQUARED / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qPower = Math.pow(q, k2);
    k2Extra += k2 * qPower;
    const kPi = Math.PI * k;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
  }
  s2 += (k2Extra * PI_SQUARED * SQRT_2PI) / (-36 * z3);
  s3 += (k3Extra * PI_SQUARED * SQRT_2PI) / (216 * z6);
  return s0 + s1 / Math.sqrt(n) + s2 / n + s3 / Math.pow(n, 1.5);
}
