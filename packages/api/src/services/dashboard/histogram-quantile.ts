/** Histogram mass: `count` values spread evenly over [lower, upper], or a point when lower === upper. */
export interface HistogramBin {
  lower: number;
  upper: number;
  count: number;
}

/**
 * The q-quantile (0 < q < 1) of values known only by histogram bins, assuming values spread
 * evenly inside each bin (Prometheus' `histogram_quantile` rule). The bins may come from
 * several histograms with different edges (versions with different reference bins): their
 * cumulative counts add, F(x) = sum_k c_k * clamp((x - lower_k) / (upper_k - lower_k), 0, 1)
 * (a step of c_k at a point bin), and the estimate is the smallest x with F(x) >= q N, linear
 * between the bins' edges. For one histogram of adjacent bins that is
 * lower_k + (q N - C_k) / c_k * (upper_k - lower_k) in the bin k holding rank q N.
 * An open-ended bin must be given finite bounds by the caller. Returns null when there is no
 * mass; non-finite or negative counts count as 0.
 *
 * @example
 * quantileFromHistogram([{ lower: 0, upper: 10, count: 4 }], 0.5); // 5
 */
export function quantileFromHistogram(bins: readonly HistogramBin[], q: number): number | null {
  if (!(q > 0 && q < 1)) throw new RangeError(`q must lie strictly between 0 and 1, got ${q}`);
  const mass = bins.filter((bin) => validCount(bin.count) > 0);
  let total = 0;
  for (const bin of mass) total += bin.count;
  if (total === 0) return null;
  const rank = q * total;
  const edges = [...new Set(mass.flatMap((bin) => [bin.lower, bin.upper]))].sort((a, b) => a - b);
  let previous = edges[0]!;
  let previousF = cumulativeAt(mass, previous, true);
  if (previousF >= rank) return previous;
  for (const edge of edges.slice(1)) {
    const leftLimit = cumulativeAt(mass, edge, false);
    if (leftLimit >= rank) {
      return previous + ((rank - previousF) / (leftLimit - previousF)) * (edge - previous);
    }
    const atEdge = cumulativeAt(mass, edge, true);
    if (atEdge >= rank) return edge;
    previous = edge;
    previousF = atEdge;
  }
  // Reached only through rounding at the top.
  return edges[edges.length - 1]!;
}

/** Several quantiles of one set of bins, in the order given. */
export function quantilesFromHistogram(
  bins: readonly HistogramBin[],
  qs: readonly number[],
): (number | null)[] {
  return qs.map((q) => quantileFromHistogram(bins, q));
}

/** F(x) with point masses at x included (`inclusive`) or not (the left limit F(x-)). */
function cumulativeAt(bins: readonly HistogramBin[], x: number, inclusive: boolean): number {
  let sum = 0;
  for (const bin of bins) {
    if (bin.upper === bin.lower) {
      if (inclusive ? x >= bin.lower : x > bin.lower) sum += bin.count;
    } else if (x >= bin.upper) sum += bin.count;
    else if (x > bin.lower) sum += (bin.count * (x - bin.lower)) / (bin.upper - bin.lower);
  }
  return sum;
}

function validCount(count: number): number {
  return Number.isFinite(count) && count > 0 ? count : 0;
}
