import { CompensatedSum } from "./compensated-sum";

export interface PopulationMoments {
  mean: number;
  /** Population standard deviation sqrt(sum (x - mean)^2 / n) (NumPy `std`, ddof = 0). */
  std: number;
}

/**
 * Mean and population standard deviation by two compensated passes (the textbook two-pass
 * algorithm, which avoids the cancellation of E[x^2] - E[x]^2). A constant gives std exactly 0.
 * Empty input gives NaN-free zeros: mean 0, std 0 (callers report `no_data` before using them).
 *
 * @example
 * populationMoments([2, 4, 4, 4, 5, 5, 7, 9]); // { mean: 5, std: 2 }
 */
export function populationMoments(values: ArrayLike<number>): PopulationMoments {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // A constant has exactly that mean and no spread (sum / n may be off by an ulp).
  if (min === max) return { mean: min, std: 0 };
  // Values beyond 1e150 would overflow when squared: work in units of the largest magnitude.
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  const unit = magnitude > 1e150 ? magnitude : 1;
  const sum = new CompensatedSum();
  for (let i = 0; i < n; i++) sum.add((values[i] as number) / unit);
  const scaledMean = sum.value() / n;
  const squares = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const deviation = (values[i] as number) / unit - scaledMean;
    squares.add(deviation * deviation);
  }
  return { mean: scaledMean * unit, std: Math.sqrt(squares.value() / n) * unit };
}
