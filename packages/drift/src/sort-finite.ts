/**
 * Copies the finite values of `values` into a new Float64Array and sorts it ascending.
 * Non-finite values (NaN, +/-Infinity) and `null` are missing by the package's policy and are
 * skipped. This is the package's one sort: an LSD radix sort on the IEEE-754 bit patterns
 * (16-bit digits, 4 passes, trivial passes skipped), about twice as fast as
 * `Float64Array.prototype.sort` at 1e6 values and allocation-free per value.
 *
 * @example
 * sortFinite([3, NaN, -1, null, 2]); // Float64Array [-1, 2, 3]
 */
export function sortFinite(values: ArrayLike<number | null>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x === "number" && Number.isFinite(x)) count++;
  }
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x === "number" && Number.isFinite(x)) out[k++] = x;
  }
  return sortFloat64InPlace(out);
}

const RADIX_THRESHOLD = 2048;

/** Sorts a Float64Array without NaN ascending in place and returns it (-0 sorts before +0). */
export function sortFloat64InPlace(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_THRESHOLD) return values.sort();
  const bits = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let loNext = new Uint32Array(n);
  let hiNext = new Uint32Array(n);
  const histograms = new Uint32Array(4 * 65536);
  // Map each double to an unsigned 64-bit key that sorts like the number: flip every bit of a
  // negative, flip only the sign bit of a positive. Little-endian: low word first.
  for (let i = 0; i < n; i++) {
    let l = bits[2 * i] as number;
    let h = bits[2 * i + 1] as number;
    if (h & 0x80000000) {
      l = ~l >>> 0;
      h = ~h >>> 0;
    } else {
      h = (h ^ 0x80000000) >>> 0;
    }
    lo[i] = l;
    hi[i] = h;
    (histograms[l & 0xffff] as number)++;
    (histograms[65536 + (l >>> 16)] as number)++;
    (histograms[131072 + (h & 0xffff)] as number)++;
    (histograms[196608 + (h >>> 16)] as number)++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const offset = pass * 65536;
    let total = 0;
    let trivial = false;
    for (let b = 0; b < 65536; b++) {
      const c = histograms[offset + b] as number;
      if (c === n) trivial = true;
      histograms[offset + b] = total;
      total += c;
    }
    if (trivial) continue;
    const digits = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    for (let i = 0; i < n; i++) {
      const slot = offset + (((digits[i] as number) >>> shift) & 0xffff);
      const position = histograms[slot] as number;
      histograms[slot] = position + 1;
      loNext[position] = lo[i] as number;
      hiNext[position] = hi[i] as number;
    }
    let swap = lo;
    lo = loNext;
    loNext = swap;
    swap = hi;
    hi = hiNext;
    hiNext = swap;
  }
  for (let i = 0; i < n; i++) {
    let l = lo[i] as number;
    let h = hi[i] as number;
    if (h & 0x80000000) {
      h = (h ^ 0x80000000) >>> 0;
    } else {
      l = ~l >>> 0;
      h = ~h >>> 0;
    }
    bits[2 * i] = l;
    bits[2 * i + 1] = h;
  }
  return values;
}
