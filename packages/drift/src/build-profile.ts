import { jensenShannon } from "./jensen-shannon";
import { populationMoments } from "./population-moments";
import { populationStabilityIndex } from "./population-stability-index";
import { categoryBinMap, countSortedNumericBins, numericBinIndex } from "./profile-bins";
import { sortFinite } from "./sort-finite";
import type {
  Calibration,
  CategoricalProfile,
  NumericBins,
  NumericProfile,
  QuantileSketch,
  ReferenceProfile,
} from "./types";

export interface BuildProfileOptions {
  kind: "numeric" | "categorical";
  /** Keep the sorted reference (for exact KS and Wasserstein) up to this many values: 200,000. */
  maxSortedValues?: number;
  /** Points of the quantile sketch kept above that size: 4,096 (D error < 1/4096). */
  sketchSize?: number;
  /** Categories with their own bin; the rest merge into `other`: 100. */
  maxCategories?: number;
  /** Value bins need at most this many distinct values: 20. */
  maxValueBins?: number;
  /**
   * ... and at least this many rows per distinct value on average (n >= 5 x distinct): 5. A rare
   * value does not matter; too few rows for the values overall do.
   */
  minMeanRowsPerValue?: number;
  /**
   * Rows per calibration chunk, the expected current window size (default: a tenth of the
   * reference rows). Calibration needs at least 2 chunks of at least 10 rows.
   */
  calibrationWindow?: number;
}

export const DEFAULT_MAX_SORTED_VALUES = 200_000;
const MIN_CALIBRATION_WINDOW = 10;

/**
 * Builds the stored reference profile of one feature, once, from the reference window.
 *
 * Numeric (`ArrayLike<number | null>`; null, NaN and +/-Infinity are missing):
 * - value bins, one per distinct value plus an OOV bin, when there are at most 20 distinct values
 *   and n >= 5 x distinct (5 rows per value on average: a count-like feature whose rare values
 *   have a row or two still gets value bins), or exactly 2 distinct values (a binary column);
 * - otherwise decile bins: e_j = sorted[ceil(j n / 10) - 1], j = 1..9 (NumPy's `inverted_cdf`),
 *   duplicates dropped; bins (-inf, e1), [e1, e2), ..., [e_last, +inf).
 * It keeps n, missing, min, max, mean, population std, distinct count, the counts per bin, and
 * the sorted reference when n <= 200,000 (above that, a 4,096-point quantile sketch whose ECDF is
 * within 1/4096 of the reference's).
 *
 * Categorical (`ArrayLike<string | null>`; null is missing): one bin per category for the 100
 * most frequent (ties by name), an `other` bin for the rest, and an OOV bin for categories the
 * reference never saw; every reference category's count is kept.
 *
 * Calibration (for thresholdMode "calibrated"): the reference, in its given order, is split into
 * chunks of `calibrationWindow` rows; JS distance and PSI of each chunk against the rest of the
 * reference give a mean and a standard deviation.
 *
 * @example
 * import { buildProfile } from "@plumbline/drift";
 * const profile = buildProfile([1.2, 3.4, null, 2.2, 5.1], { kind: "numeric" });
 * JSON.parse(JSON.stringify(profile)); // the same profile
 */
export function buildProfile(
  values: ArrayLike<number | null>,
  options: BuildProfileOptions & { kind: "numeric" },
): NumericProfile;
export function buildProfile(
  values: ArrayLike<string | null>,
  options: BuildProfileOptions & { kind: "categorical" },
): CategoricalProfile;
export function buildProfile(
  values: ArrayLike<number | string | null>,
  options: BuildProfileOptions,
): ReferenceProfile;
export function buildProfile(
  values: ArrayLike<number | string | null>,
  options: BuildProfileOptions,
): ReferenceProfile {
  if (options.kind === "numeric") {
    return buildNumericProfile(values as ArrayLike<number | null>, options);
  }
  return buildCategoricalProfile(values as ArrayLike<string | null>, options);
}

function buildNumericProfile(
  values: ArrayLike<number | null>,
  options: BuildProfileOptions,
): NumericProfile {
  const sorted = sortFinite(values);
  const n = sorted.length;
  const missing = values.length - n;
  const maxValueBins = options.maxValueBins ?? 20;
  const minMeanRowsPerValue = options.minMeanRowsPerValue ?? 5;
  const distinctValues: number[] = [];
  for (let i = 0; i < n;) {
    const x = sorted[i] as number;
    let j = i + 1;
    while (j < n && sorted[j] === x) j++;
    distinctValues.push(x);
    i = j;
  }
  const distinct = distinctValues.length;
  let bins: NumericBins;
  if (
    distinct === 2 ||
    (distinct > 0 && distinct <= maxValueBins && n >= minMeanRowsPerValue * distinct)
  ) {
    bins = { type: "value", values: distinctValues };
  } else {
    bins = { type: "quantile", edges: decileEdges(sorted) };
  }
  const binTotal = bins.type === "value" ? bins.values.length + 1 : bins.edges.length + 1;
  const counts = new Float64Array(binTotal);
  countSortedNumericBins(bins, sorted, counts);
  const moments = populationMoments(sorted);
  const maxSorted = options.maxSortedValues ?? DEFAULT_MAX_SORTED_VALUES;
  const keepSorted = n > 0 && n <= maxSorted;
  const calibration = calibrate(values.length, counts, options.calibrationWindow, (row) => {
    const x = values[row];
    return typeof x === "number" && Number.isFinite(x) ? numericBinIndex(bins, x) : -1;
  });
  return {
    version: 1,
    kind: "numeric",
    n,
    missing,
    distinct,
    counts: Array.from(counts),
    calibration,
    bins,
    binary:
      distinct === 2
        ? { values: [distinctValues[0] as number, distinctValues[1] as number] }
        : null,
    min: n > 0 ? (sorted[0] as number) : null,
    max: n > 0 ? (sorted[n - 1] as number) : null,
    mean: n > 0 ? moments.mean : null,
    std: n > 0 ? moments.std : null,
    sorted: keepSorted ? Array.from(sorted) : null,
    sketch: n > maxSorted ? quantileSketch(sorted, options.sketchSize ?? 4096) : null,
  };
}

/** Decile edges e_j = sorted[ceil(j n / 10) - 1], j = 1..9, duplicates dropped. */
export function decileEdges(sorted: Float64Array): number[] {
  const n = sorted.length;
  const edges: number[] = [];
  if (n === 0) return edges;
  for (let j = 1; j <= 9; j++) {
    const e = sorted[Math.floor((j * n + 9) / 10) - 1] as number;
    if (edges.length === 0 || edges[edges.length - 1] !== e) edges.push(e);
  }
  return edges;
}

function quantileSketch(sorted: Float64Array, size: number): QuantileSketch {
  const n = sorted.length;
  const quantiles: number[] = [];
  for (let k = 1; k <= size; k++) {
    quantiles.push(sorted[Math.ceil((k * n) / size) - 1] as number);
  }
  const range = (sorted[n - 1] as number) - (sorted[0] as number);
  return { quantiles, dErrorBound: 1 / size, w1ErrorBound: range / size };
}

function buildCategoricalProfile(
  values: ArrayLike<string | null>,
  options: BuildProfileOptions,
): CategoricalProfile {
  const tally = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "string") {
      missing++;
      continue;
    }
    tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  const entries = [...tally.entries()].sort((a, b) =>
    b[1] !== a[1] ? b[1] - a[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  );
  const maxCategories = options.maxCategories ?? 100;
  const own = entries.slice(0, maxCategories);
  const hasOther = entries.length > maxCategories;
  const counts = own.map(([, c]) => c);
  if (hasOther) counts.push(entries.slice(maxCategories).reduce((s, [, c]) => s + c, 0));
  counts.push(0);
  const n = values.length - missing;
  const names = entries.map(([name]) => name).sort();
  const profile: CategoricalProfile = {
    version: 1,
    kind: "categorical",
    n,
    missing,
    distinct: entries.length,
    counts,
    calibration: null,
    categories: own.map(([name]) => name),
    hasOther,
    referenceCategories: entries.map(([name]) => name),
    referenceCounts: entries.map(([, c]) => c),
    binary: entries.length === 2 ? { values: [names[0] as string, names[1] as string] } : null,
  };
  const binOf = categoryBinMap(profile);
  profile.calibration = calibrate(
    values.length,
    Float64Array.from(counts),
    options.calibrationWindow,
    (row) => {
      const v = values[row];
      return typeof v === "string" ? (binOf.get(v) ?? -1) : -1;
    },
  );
  return profile;
}

function calibrate(
  rows: number,
  counts: Float64Array,
  requestedWindow: number | undefined,
  binOfRow: (row: number) => number,
): Calibration | null {
  const windowSize = Math.max(1, Math.floor(requestedWindow ?? Math.ceil(rows / 10)));
  const chunks = Math.floor(rows / windowSize);
  // Fewer than 2 chunks give no spread, and chunks under 10 rows say nothing about a window.
  if (chunks < 2 || windowSize < MIN_CALIBRATION_WINDOW) return null;
  const k = counts.length;
  const chunkCounts = new Float64Array(k);
  const restCounts = new Float64Array(k);
  const js: number[] = [];
  const psi: number[] = [];
  for (let c = 0; c < chunks; c++) {
    chunkCounts.fill(0);
    for (let row = c * windowSize; row < (c + 1) * windowSize; row++) {
      const bin = binOfRow(row);
      if (bin >= 0) (chunkCounts[bin] as number)++;
    }
    let chunkTotal = 0;
    for (let b = 0; b < k; b++) {
      restCounts[b] = (counts[b] as number) - (chunkCounts[b] as number);
      chunkTotal += chunkCounts[b] as number;
    }
    if (chunkTotal === 0) continue;
    js.push(jensenShannon(restCounts, chunkCounts).distance);
    psi.push(populationStabilityIndex(restCounts, chunkCounts));
  }
  if (js.length < 2) return null;
  return {
    windowSize,
    chunks: js.length,
    jsDistance: meanAndSd(js),
    psi: meanAndSd(psi),
  };
}

// Sample standard deviation (ddof = 1) of the chunk statistics.
function meanAndSd(values: number[]): { mean: number; sd: number } {
  const { mean, std } = populationMoments(values);
  const n = values.length;
  return { mean, sd: std * Math.sqrt(n / (n - 1)) };
}
