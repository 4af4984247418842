// Lanczos approximation with Godfrey's coefficients (g = 607/128, 14 terms), as in Numerical
// Recipes 3rd ed. section 6.1: relative error below 1e-15 for x > 0.
const COEFFICIENTS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202,
  3.399464998481189e-5, 4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125,
  -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5,
  -2.6190838401581408e-5, 3.6899182659531625e-6,
];

/**
 * Natural log of the gamma function for x > 0:
 * ln Gamma(x) = (x + 1/2) ln(x + g + 1/2) - (x + g + 1/2) + ln(sqrt(2 pi) S(x) / x),
 * with S the Lanczos series. Returns NaN for x <= 0 (never needed by the statistics).
 *
 * @example
 * logGamma(5); // ln(24) = 3.1780538303479458
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let y = x;
  let tmp = x + 5.2421875;
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  let series = 0.9999999999999971;
  for (const c of COEFFICIENTS) series += c / ++y;
  return tmp + Math.log((2.5066282746310007 * series) / x);
}
