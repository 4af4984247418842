import type { PerformanceContribution } from "@plumbline/db/schema";

import { scoreBin } from "../histograms";
import { classText, resolvePositiveClass } from "./positive-class";

/** A label met its prediction: what both say, and what the registry says of the model. */
export interface JoinedPair {
  /** The model's registered task (`binary_classification`, `regression`, ...). */
  task: string;
  /** The version's `positive_class` tag, when declared. */
  declaredPositiveClass: string | null;
  /** The stored `prediction` object of the record. */
  prediction: Readonly<Record<string, unknown>>;
  /** The label's `actual` object. */
  actual: Readonly<Record<string, unknown>>;
}

/** The rollup rows a contribution lands in: the joined prediction's. */
export interface ContributionKey {
  version: string;
  deployment: string;
  minute: Date;
}

function scoresOf(output: Readonly<Record<string, unknown>>): Record<string, number> | null {
  const scores = output.scores;
  if (typeof scores !== "object" || scores === null || Array.isArray(scores)) return null;
  const entries = Object.entries(scores).filter(
    (entry): entry is [string, number] => typeof entry[1] === "number",
  );
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

function finiteNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** `label`, else the class of the highest score (ties to the first name in code-point order). */
function predictedClass(output: Readonly<Record<string, unknown>>): string | null {
  const label = classText(output.label);
  if (label !== null) return label;
  const scores = scoresOf(output);
  if (!scores) return null;
  let best: [string, number] | null = null;
  for (const entry of Object.entries(scores).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!best || entry[1] > best[1]) best = entry;
  }
  return best ? best[0] : null;
}

/**
 * P(positive) of a binary prediction, following the contract of `prediction`: `scores` maps
 * each class to its probability; `score` with a `label` is the confidence of that label (so
 * P(positive) = 1 - score when the label is the other class); `score` alone is P(positive).
 */
function positiveProbability(
  output: Readonly<Record<string, unknown>>,
  positiveClass: string,
): number | null {
  const fromScores = scoresOf(output)?.[positiveClass];
  if (fromScores !== undefined) return fromScores;
  const score = finiteNumber(output.score);
  if (score === null) return null;
  const label = classText(output.label);
  if (label === null || label === positiveClass) return score;
  return 1 - score;
}

/**
 * What one joined (prediction, label) pair adds to the performance rollups:
 * - a confusion cell when the prediction has a class (`label`, or the arg-max of `scores`) and
 *   the label has `actual.label`;
 * - for a `binary_classification` model whose positive class is known (see positive-class),
 *   P(positive), its score bin and whether the label is the positive class;
 * - when both carry a numeric `value`, the error predicted - actual.
 * A pair may add any of these or none; it always counts as joined.
 */
export function computePerformanceContribution(
  pair: JoinedPair,
  key: ContributionKey,
): PerformanceContribution {
  const actualClass = classText(pair.actual.label);
  const predicted = predictedClass(pair.prediction);
  let score: PerformanceContribution["score"] = null;
  if (pair.task === "binary_classification" && actualClass !== null) {
    const positiveClass = resolvePositiveClass({
      declared: pair.declaredPositiveClass,
      actualLabel: pair.actual.label,
      scores: scoresOf(pair.prediction),
    });
    const probability =
      positiveClass === null ? null : positiveProbability(pair.prediction, positiveClass);
    if (positiveClass !== null && probability !== null) {
      score = {
        value: probability,
        bin: scoreBin(probability),
        positive: actualClass === positiveClass,
      };
    }
  }
  const predictedValue = finiteNumber(pair.prediction.value);
  const actualValue = finiteNumber(pair.actual.value);
  return {
    version: key.version,
    deployment: key.deployment,
    minute: key.minute.toISOString(),
    confusion:
      predicted !== null && actualClass !== null ? { predicted, actual: actualClass } : null,
    score,
    error: predictedValue !== null && actualValue !== null ? predictedValue - actualValue : null,
  };
}
