/** One cell of a confusion matrix: how many labeled predictions of `predicted` were `actual`. */
export interface ConfusionCell {
  predicted: string;
  actual: string;
  count: number;
}

/** Precision, recall and F1 of one class, one-vs-rest. */
export interface ClassMetrics {
  className: string;
  /** Labeled pairs whose actual class is this one. */
  support: number;
  /** Labeled pairs the model predicted as this class. */
  predicted: number;
  /** Pairs predicted as this class that were this class. */
  truePositives: number;
  /** truePositives / predicted; null when the class was never predicted. */
  precision: number | null;
  /** truePositives / support; null when the class never occurred. */
  recall: number | null;
  /** 2PR / (P + R) (0 when both are 0); null when precision or recall is undefined. */
  f1: number | null;
}

export interface ConfusionMetrics {
  /** Labeled pairs in the matrix. */
  count: number;
  /** Pairs on the diagonal. */
  correct: number;
  /** correct / count. */
  accuracy: number;
  /** Every class that was predicted or occurred, sorted by name. */
  classes: ClassMetrics[];
  /**
   * Unweighted means over `classes`, an undefined value counting as 0 (scikit-learn's
   * `average="macro"` with `zero_division=0`).
   */
  macro: { precision: number; recall: number; f1: number };
  /** The non-empty cells, sorted by predicted then actual class. */
  cells: ConfusionCell[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Accuracy and per-class and macro precision, recall and F1 from a confusion matrix given
 * as cells (repeated cells add up; empty ones are ignored). Null for an empty matrix.
 *
 * @example metricsFromConfusion([{ predicted: "a", actual: "a", count: 3 },
 *   { predicted: "a", actual: "b", count: 1 }]) // accuracy 0.75; a: precision 0.75, recall 1
 */
export function metricsFromConfusion(cells: readonly ConfusionCell[]): ConfusionMetrics | null {
  const merged = new Map<string, ConfusionCell>();
  for (const cell of cells) {
    const key = `${cell.predicted}\u0000${cell.actual}`;
    const existing = merged.get(key);
    if (existing) existing.count += cell.count;
    else merged.set(key, { ...cell });
  }
  const nonEmpty = [...merged.values()]
    .filter((cell) => cell.count > 0)
    .sort((a, b) => byName(a.predicted, b.predicted) || byName(a.actual, b.actual));
  if (nonEmpty.length === 0) return null;

  const names = new Set<string>();
  let count = 0;
  let correct = 0;
  for (const cell of nonEmpty) {
    names.add(cell.predicted);
    names.add(cell.actual);
    count += cell.count;
    if (cell.predicted === cell.actual) correct += cell.count;
  }
  const classes = [...names].sort(byName).map((className): ClassMetrics => {
    let support = 0;
    let predicted = 0;
    let truePositives = 0;
    for (const cell of nonEmpty) {
      if (cell.actual === className) support += cell.count;
      if (cell.predicted === className) predicted += cell.count;
      if (cell.actual === className && cell.predicted === className) truePositives += cell.count;
    }
    const precision = predicted > 0 ? truePositives / predicted : null;
    const recall = support > 0 ? truePositives / support : null;
    const f1 =
      precision === null || recall === null
        ? null
        : precision + recall === 0
          ? 0
          : (2 * precision * recall) / (precision + recall);
    return { className, support, predicted, truePositives, precision, recall, f1 };
  });
  const mean = (pick: (metrics: ClassMetrics) => number | null) =>
    classes.reduce((sum, metrics) => sum + (pick(metrics) ?? 0), 0) / classes.length;
  return {
    count,
    correct,
    accuracy: correct / count,
    classes,
    macro: {
      precision: mean((m) => m.precision),
      recall: mean((m) => m.recall),
      f1: mean((m) => m.f1),
    },
    cells: nonEmpty,
  };
}
