/**
 * Benjamini-Hochberg adjusted p-values (false discovery rate): sort p ascending,
 * adj_(i) = min_{j >= i} min(1, p_(j) m / j), returned in the input order
 * (SciPy `false_discovery_control(p, method="bh")`). A feature is significant at FDR level
 * alpha when its adjusted p-value is below alpha.
 *
 * Policy: NaN p-values are treated as 1 (no evidence).
 *
 * @example
 * import { benjaminiHochberg } from "@plumbline/drift";
 * benjaminiHochberg([0.01, 0.04, 0.03]); // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pvalues: ArrayLike<number>): number[] {
  const m = pvalues.length;
  const order = Array.from({ length: m }, (_, i) => i);
  const value = (i: number): number => {
    const p = pvalues[i] as number;
    return Number.isNaN(p) ? 1 : p;
  };
  order.sort((a, b) => value(a) - value(b));
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1] as number;
    running = Math.min(running, (value(index) * m) / rank);
    adjusted[index] = Math.min(running, 1);
  }
  return adjusted;
}
