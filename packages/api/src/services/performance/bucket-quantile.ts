/**
 * A quantile from the counts of a fixed-bucket histogram, by linear interpolation inside the
 * bucket that holds it (as Prometheus' `histogram_quantile` does): with `counts[i]` values in
 * (bounds[i-1], bounds[i]], the q-quantile is `lower + (upper - lower) * (q * total - below) /
 * counts[i]`. The first bucket starts at `firstLowerBound` (0 for delays and latencies); the
 * last bucket, above every bound, has no upper edge, so a quantile that falls in it is
 * reported as its lower edge (the largest bound), a lower bound of the truth. Null when the
 * histogram is empty. `counts` has bounds.length + 1 entries; missing ones count as 0.
 *
 * @example quantileFromBucketCounts([10, 20, 50], [2, 2, 0, 1], 0.5) // 12.5
 */
export function quantileFromBucketCounts(
  bounds: readonly number[],
  counts: readonly number[],
  q: number,
  firstLowerBound = 0,
): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= 0) return null;
  const target = Math.min(1, Math.max(0, q)) * total;
  let below = 0;
  for (let index = 0; index <= bounds.length; index += 1) {
    const count = counts[index] ?? 0;
    if (count > 0 && below + count >= target) {
      const lower = index === 0 ? firstLowerBound : bounds[index - 1]!;
      if (index === bounds.length) return lower;
      const upper = bounds[index]!;
      return lower + ((upper - lower) * (target - below)) / count;
    }
    below += count;
  }
  return bounds.length > 0 ? bounds[bounds.length - 1]! : firstLowerBound;
}
