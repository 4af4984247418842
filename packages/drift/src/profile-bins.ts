import type { CategoricalProfile, NumericBins } from "./types";

/**
 * Bin of a finite value: for quantile bins the number of edges <= x (binary search, so
 * (-inf, e1) is bin 0 and [e_last, +inf) the last bin); for value bins the index of the equal
 * reference value, or the OOV bin (values.length) when there is none.
 *
 * @example
 * numericBinIndex({ type: "quantile", edges: [1, 2, 3] }, 2); // 2
 */
export function numericBinIndex(bins: NumericBins, x: number): number {
  if (bins.type === "quantile") {
    const edges = bins.edges;
    let low = 0;
    let high = edges.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((edges[mid] as number) <= x) low = mid + 1;
      else high = mid;
    }
    return low;
  }
  const values = bins.values;
  let low = 0;
  let high = values.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const v = values[mid] as number;
    if (v === x) return mid;
    if (v < x) low = mid + 1;
    else high = mid - 1;
  }
  return values.length;
}

/** Numeric bin counts by one binary search per finite value; also counts the missing values. */
export function countNumericBins(
  bins: NumericBins,
  values: ArrayLike<number | null>,
  counts: Float64Array,
): number {
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      missing++;
      continue;
    }
    (counts[numericBinIndex(bins, x)] as number)++;
  }
  return missing;
}

/** Numeric bin counts of a sorted, finite sample by one linear merge with the bins. */
export function countSortedNumericBins(
  bins: NumericBins,
  sorted: Float64Array,
  counts: Float64Array,
): void {
  const n = sorted.length;
  if (bins.type === "quantile") {
    const edges = bins.edges;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const x = sorted[i] as number;
      while (e < edges.length && (edges[e] as number) <= x) e++;
      (counts[e] as number)++;
    }
    return;
  }
  const values = bins.values;
  const oov = values.length;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i] as number;
    while (p < oov && (values[p] as number) < x) p++;
    (counts[p < oov && values[p] === x ? p : oov] as number)++;
  }
}

/** Map from every reference category to its bin (own bin, or `other`). */
export function categoryBinMap(profile: CategoricalProfile): Map<string, number> {
  const map = new Map<string, number>();
  const own = profile.categories.length;
  profile.referenceCategories.forEach((category, index) => {
    map.set(category, index < own ? index : own);
  });
  return map;
}
