// The Kolmogorov-Smirnov statistic D = max |F_ref(x) - F_cur(x)| of two samples, with SciPy's
// location and sign. Two algorithms with identical results: a merge of two sorted samples, and
// a bucketed one that avoids sorting unsorted samples (ksTwoSample's path).

export interface KsStatistic {
  statistic: number;
  location: number;
  sign: 1 | -1;
}

/** Running extremes of cdf1 - cdf2, kept separately over values present in each sample. */
class Extremes {
  maxRef = Number.NEGATIVE_INFINITY;
  maxRefAt = 0;
  maxCur = Number.NEGATIVE_INFINITY;
  maxCurAt = 0;
  minRef = Number.POSITIVE_INFINITY;
  minRefAt = 0;
  minCur = Number.POSITIVE_INFINITY;
  minCurAt = 0;

  // Strict comparisons keep the first (smallest) value reaching an extreme, as NumPy's argmax.
  see(x: number, diff: number, inRef: boolean, inCur: boolean): void {
    if (inRef) {
      if (diff > this.maxRef) {
        this.maxRef = diff;
        this.maxRefAt = x;
      }
      if (diff < this.minRef) {
        this.minRef = diff;
        this.minRefAt = x;
      }
    }
    if (inCur) {
      if (diff > this.maxCur) {
        this.maxCur = diff;
        this.maxCurAt = x;
      }
      if (diff < this.minCur) {
        this.minCur = diff;
        this.minCurAt = x;
      }
    }
  }

  // SciPy: argmax over concat(sorted ref, sorted cur), so a reference value wins ties.
  result(): KsStatistic {
    const maxS = this.maxRef >= this.maxCur ? this.maxRef : this.maxCur;
    const maxAt = this.maxRef >= this.maxCur ? this.maxRefAt : this.maxCurAt;
    const minDiff = this.minRef <= this.minCur ? this.minRef : this.minCur;
    const minAt = this.minRef <= this.minCur ? this.minRefAt : this.minCurAt;
    const minS = Math.min(Math.max(-minDiff, 0), 1);
    if (minS > maxS) return { statistic: minS, location: minAt, sign: -1 };
    return { statistic: maxS, location: maxAt, sign: 1 };
  }
}

/**
 * Merges two sorted runs (reference[i0..i1), current[j0..j1)) whose values all lie above every
 * value seen before; cdf differences use the global counts (i, j) over n1, n2.
 */
function mergeRuns(
  reference: Float64Array,
  i0: number,
  i1: number,
  current: Float64Array,
  j0: number,
  j1: number,
  n1: number,
  n2: number,
  iBase: number,
  jBase: number,
  extremes: Extremes,
): void {
  let i = i0;
  let j = j0;
  while (i < i1 || j < j1) {
    const a = i < i1 ? (reference[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < j1 ? (current[j] as number) : Number.POSITIVE_INFINITY;
    const x = a <= b ? a : b;
    const inRef = a === x;
    const inCur = b === x;
    while (i < i1 && (reference[i] as number) <= x) i++;
    while (j < j1 && (current[j] as number) <= x) j++;
    extremes.see(x, (iBase + i - i0) / n1 - (jBase + j - j0) / n2, inRef, inCur);
  }
}

/**
 * D, its location and sign from two samples sorted ascending, free of non-finite values and
 * non-empty (the caller's precondition), by one merge pass.
 *
 * @example
 * ksStatisticSorted(Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 4));
 * // { statistic: 0.33333333333333337, location: 3, sign: 1 } (1 - 2/3 rounds up, as in SciPy)
 */
export function ksStatisticSorted(reference: Float64Array, current: Float64Array): KsStatistic {
  const extremes = new Extremes();
  const n1 = reference.length;
  const n2 = current.length;
  mergeRuns(reference, 0, n1, current, 0, n2, n1, n2, 0, 0, extremes);
  return extremes.result();
}

// Copies the finite values and widens [range[0], range[1]] to cover them, in one pass.
function copyFinite(values: ArrayLike<number>, range: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let min = range[0] as number;
  let max = range[1] as number;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x - x === 0) {
      // x - x is 0 exactly for finite x, NaN for NaN and +/-Infinity.
      out[k++] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  range[0] = min;
  range[1] = max;
  return k === values.length ? out : out.subarray(0, k);
}

// Sorting tiny runs with insertion sort avoids the fixed cost of a typed-array sort call.
function sortRun(values: Float64Array, start: number, end: number): void {
  if (end - start > 24) {
    values.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const x = values[i] as number;
    let j = i - 1;
    while (j >= start && (values[j] as number) > x) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = x;
  }
}

// Rounding slack when comparing a bucket's bound with an attained difference.
const BOUND_SLACK = 1e-12;

/**
 * D, location and sign of two unsorted samples (non-finite values skipped), without sorting
 * them. Both samples are bucketed by value into about (n + m) / 4 equal-width buckets. At each
 * bucket end, cdf1 - cdf2 is an attained difference, so the largest and smallest of them bound
 * max and min from inside; within bucket k, starting at difference d0, every difference lies in
 * [d0 - cur_k / m, d0 + ref_k / n]. Only buckets whose range reaches those bounds can hold the
 * extremes: they alone are sorted and merged exactly, in ascending order, so location and sign
 * follow SciPy's tie-breaking just as the full merge does. Heavy ties or extreme skew only make
 * more buckets candidates; the result never changes.
 *
 * @example
 * ksStatisticUnsorted([3, 1, 2], [4, 2, 3]); // the same as ksStatisticSorted, with n1: 3, n2: 3
 */
export function ksStatisticUnsorted(
  referenceValues: ArrayLike<number>,
  currentValues: ArrayLike<number>,
): KsStatistic & { n1: number; n2: number } {
  const range = Float64Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  const reference = copyFinite(referenceValues, range);
  const current = copyFinite(currentValues, range);
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return { statistic: 0, location: 0, sign: 1, n1, n2 };
  const min = range[0] as number;
  const max = range[1] as number;
  // At most 2^22 buckets, so (x - min) * scale < 2^31 and `>>> 0` is an exact floor.
  const buckets = Math.max(1, Math.min(1 << 22, (n1 + n2) >>> 2));
  const width = max - min;
  // A zero or overflowing range puts everything in one bucket: correct, merely a full sort.
  const scale = width > 0 && Number.isFinite(width) ? buckets / width : 0;
  const bucketOfRef = new Uint32Array(n1);
  const bucketOfCur = new Uint32Array(n2);
  const countRef = new Uint32Array(buckets + 1);
  const countCur = new Uint32Array(buckets + 1);
  const last = buckets - 1;
  for (let i = 0; i < n1; i++) {
    let b = (((reference[i] as number) - min) * scale) >>> 0;
    if (b > last) b = last;
    bucketOfRef[i] = b;
    (countRef[b] as number)++;
  }
  for (let j = 0; j < n2; j++) {
    let b = (((current[j] as number) - min) * scale) >>> 0;
    if (b > last) b = last;
    bucketOfCur[j] = b;
    (countCur[b] as number)++;
  }

  // Attained differences at bucket ends bound the extremes from inside.
  let maxBound = Number.NEGATIVE_INFINITY;
  let minBound = Number.POSITIVE_INFINITY;
  let i = 0;
  let j = 0;
  for (let b = 0; b < buckets; b++) {
    const cr = countRef[b] as number;
    const cc = countCur[b] as number;
    if (cr === 0 && cc === 0) continue;
    i += cr;
    j += cc;
    const diff = i / n1 - j / n2;
    if (diff > maxBound) maxBound = diff;
    if (diff < minBound) minBound = diff;
  }

  // Candidate buckets, and where each one's values go in the gathered arrays.
  const candidate = new Uint8Array(buckets);
  const startRef = new Uint32Array(buckets);
  const startCur = new Uint32Array(buckets);
  let gatheredRef = 0;
  let gatheredCur = 0;
  i = 0;
  j = 0;
  for (let b = 0; b < buckets; b++) {
    const cr = countRef[b] as number;
    const cc = countCur[b] as number;
    if (cr === 0 && cc === 0) continue;
    const d0 = i / n1 - j / n2;
    if (d0 + cr / n1 + BOUND_SLACK >= maxBound || d0 - cc / n2 - BOUND_SLACK <= minBound) {
      candidate[b] = 1;
      startRef[b] = gatheredRef;
      startCur[b] = gatheredCur;
      gatheredRef += cr;
      gatheredCur += cc;
    }
    i += cr;
    j += cc;
  }
  const runRef = new Float64Array(gatheredRef);
  const runCur = new Float64Array(gatheredCur);
  const fillRef = startRef.slice();
  const fillCur = startCur.slice();
  for (let k = 0; k < n1; k++) {
    const b = bucketOfRef[k] as number;
    if (candidate[b]) runRef[(fillRef[b] as number)++] = reference[k] as number;
  }
  for (let k = 0; k < n2; k++) {
    const b = bucketOfCur[k] as number;
    if (candidate[b]) runCur[(fillCur[b] as number)++] = current[k] as number;
  }

  const extremes = new Extremes();
  i = 0;
  j = 0;
  for (let b = 0; b < buckets; b++) {
    const cr = countRef[b] as number;
    const cc = countCur[b] as number;
    if (cr === 0 && cc === 0) continue;
    if (candidate[b]) {
      const r0 = startRef[b] as number;
      const c0 = startCur[b] as number;
      sortRun(runRef, r0, r0 + cr);
      sortRun(runCur, c0, c0 + cc);
      mergeRuns(runRef, r0, r0 + cr, runCur, c0, c0 + cc, n1, n2, i, j, extremes);
    }
    i += cr;
    j += cc;
  }
  return { ...extremes.result(), n1, n2 };
}
