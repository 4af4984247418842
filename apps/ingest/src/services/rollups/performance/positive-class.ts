/**
 * Which class of a binary classifier is "positive", for ROC-AUC and the reliability diagram.
 *
 * The rule, first match wins:
 * 1. the class the model version declares with the registry tag `positive_class`
 *    (`plumbline register --tag positive_class=default`), compared as text;
 * 2. `true` when the actual label is a boolean, `1` when it is the integer 0 or 1 (the usual
 *    encodings of a yes/no outcome);
 * 3. when the prediction's `scores` names exactly two classes, the greater name in code-point
 *    order (scikit-learn's `classes_[1]` convention: `repay` over `default`, `yes` over `no`).
 * Otherwise no positive class is known and the pair adds nothing to the score histograms
 * (its confusion cell still counts). ROC-AUC does not depend on which class is positive (it is
 * the same when both the class and P(positive) are swapped); the reliability diagram mirrors.
 */

/** The registry tag a model version declares its positive class with. */
export const POSITIVE_CLASS_TAG = "positive_class";

/** A class label as text (`true`, `1`, `fraud`); null for anything that is not a class. */
export function classText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  return null;
}

export function resolvePositiveClass(input: {
  declared: string | null;
  actualLabel: unknown;
  scores: Readonly<Record<string, number>> | null;
}): string | null {
  if (input.declared !== null && input.declared !== "") return input.declared;
  if (typeof input.actualLabel === "boolean") return "true";
  if (input.actualLabel === 0 || input.actualLabel === 1) return "1";
  const classes = input.scores ? Object.keys(input.scores) : [];
  if (classes.length === 2) return classes.sort()[1]!;
  return null;
}
