import type { Evaluation, EvaluationMetric } from "./evaluation";
import { groupRates } from "./fairness";
import type { ModelCard, ModelCardDataset, ModelCardPerformanceMetric } from "./model-card";

/** A dataset version linked to the model version, as the lineage query returns it. */
export interface LineageDatasetInput {
  name: string;
  role: "train" | "validation" | "holdout";
  digest: string;
  rowCount?: number;
  sourceUri?: string;
  description?: string;
  sensitiveFeatures?: string[];
}

/**
 * Fills the machine-owned sections of a card from evidence (spec: "Data and metrics sections are
 * filled from lineage and evaluations"): `modelParameters.data` from the version's datasets
 * (train, then validation, then holdout) and `quantitativeAnalysis.performanceMetrics` from its
 * evaluations, plus, from fairness evaluations, each group's selection rate, TPR and FPR as a
 * `feature=group` slice. Both sections are replaced, never merged, so that the card states
 * exactly the evidence; the sections people write are left untouched. Evaluations are oldest
 * first: a repeated (metric, slice) keeps the last value.
 */
export function fillModelCardFromEvidence(
  card: ModelCard,
  evidence: { datasets: readonly LineageDatasetInput[]; evaluations: readonly Evaluation[] },
): ModelCard {
  const roleOrder = { train: 0, validation: 1, holdout: 2 } as const;
  const data: ModelCardDataset[] = [...evidence.datasets]
    .sort(
      (a, b) =>
        roleOrder[a.role] - roleOrder[b.role] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
    .map((dataset) => ({
      name: dataset.name,
      role: dataset.role,
      digest: dataset.digest,
      ...(dataset.rowCount === undefined ? {} : { rowCount: dataset.rowCount }),
      ...(dataset.sourceUri === undefined ? {} : { link: dataset.sourceUri }),
      ...(dataset.description === undefined ? {} : { description: dataset.description }),
      ...(dataset.sensitiveFeatures === undefined
        ? {}
        : { sensitive: [...dataset.sensitiveFeatures] }),
    }));

  const metrics = new Map<string, ModelCardPerformanceMetric>();
  const put = (metric: ModelCardPerformanceMetric): void => {
    metrics.set(JSON.stringify([metric.type, metric.slice]), metric);
  };
  for (const evaluation of evidence.evaluations) {
    for (const metric of evaluation.metrics) put(fromEvaluationMetric(metric));
    for (const counts of evaluation.groups) {
      const rates = groupRates(counts);
      const slice = `${counts.feature}=${counts.group}`;
      const byType = {
        selection_rate: rates.selectionRate,
        true_positive_rate: rates.truePositiveRate,
        false_positive_rate: rates.falsePositiveRate,
      };
      for (const [type, value] of Object.entries(byType)) {
        if (value !== null) put({ type, value, slice, n: rates.size });
      }
    }
  }

  return {
    ...card,
    modelParameters: { ...card.modelParameters, data },
    quantitativeAnalysis: {
      ...card.quantitativeAnalysis,
      performanceMetrics: [...metrics.values()],
    },
  };
}

function fromEvaluationMetric(metric: EvaluationMetric): ModelCardPerformanceMetric {
  return {
    type: metric.metric,
    value: metric.value,
    slice: metric.slice,
    ...(metric.lower === undefined || metric.upper === undefined
      ? {}
      : { confidenceInterval: { lowerBound: metric.lower, upperBound: metric.upper } }),
    ...(metric.n === undefined ? {} : { n: metric.n }),
  };
}
