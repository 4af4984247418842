/**
 * Neumaier's compensated summation (an improved Kahan sum): the running error of each addition
 * is carried separately, so the result is accurate to about one rounding whatever the order and
 * magnitude of the terms. Used by every statistic that adds many terms.
 *
 * @example
 * const sum = new CompensatedSum();
 * for (const x of [1e16, 1, -1e16]) sum.add(x);
 * sum.value(); // 1 (a naive loop gives 0)
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * Compensated sum of an array of numbers.
 *
 * @example
 * sumCompensated([0.1, 0.2, 0.3]); // 0.6
 */
export function sumCompensated(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) compensation += sum - t + x;
    else compensation += x - t + sum;
    sum = t;
  }
  return sum + compensation;
}
