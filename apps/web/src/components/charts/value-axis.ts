/**
 * The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above `value`, so an
 * axis ends on a round tick (0.3, not 0.2981).
 */
export function niceCeiling(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  const scaled = value / power;
  const step = [1, 2, 2.5, 5, 10].find((candidate) => scaled <= candidate + 1e-9) ?? 10;
  return Number((step * power).toPrecision(12));
}

/**
 * Evenly spaced ticks on round values from 0 to the first multiple of the step at or above
 * `max`, at most `count` of them (0.2981 -> 0, 0.1, 0.2, 0.3).
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const step = niceCeiling(max / (count - 1));
  const steps = Math.ceil(max / step - 1e-9);
  return Array.from({ length: steps + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}
