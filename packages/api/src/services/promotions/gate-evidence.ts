import { and, asc, eq, inArray } from "drizzle-orm";

import {
  modelCardCompleteness,
  modelCardSchema,
  type Evaluation,
  type EvaluationMetric,
} from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import {
  evaluationGroupCounts,
  evaluationMetrics,
  evaluations,
  modelAliases,
  modelCards,
} from "@plumbline/db/schema";

/** A version's evaluations, oldest first, in the shape `evaluateGates` reads. */
export async function loadEvaluations(
  db: DatabaseOrTransaction,
  modelVersionId: string,
): Promise<(Evaluation & { id: string; createdAt: Date })[]> {
  const rows = await db
    .select()
    .from(evaluations)
    .where(eq(evaluations.modelVersionId, modelVersionId))
    .orderBy(asc(evaluations.createdAt), asc(evaluations.id));
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const metrics = await db
    .select()
    .from(evaluationMetrics)
    .where(inArray(evaluationMetrics.evaluationId, ids))
    .orderBy(asc(evaluationMetrics.position));
  const groups = await db
    .select()
    .from(evaluationGroupCounts)
    .where(inArray(evaluationGroupCounts.evaluationId, ids))
    .orderBy(asc(evaluationGroupCounts.position));
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    kind: row.kind,
    outcome: row.outcome,
    ...(row.ciJobUrl === null ? {} : { ciJobUrl: row.ciJobUrl }),
    metrics: metrics
      .filter((metric) => metric.evaluationId === row.id)
      .map((metric): EvaluationMetric => ({
        metric: metric.metric,
        slice: metric.slice,
        value: metric.value,
        ...(metric.lower === null ? {} : { lower: metric.lower }),
        ...(metric.upper === null ? {} : { upper: metric.upper }),
        ...(metric.n === null ? {} : { n: metric.n }),
      })),
    groups: groups
      .filter((group) => group.evaluationId === row.id)
      .map((group) => ({
        feature: group.feature,
        group: group.group,
        truePositives: group.truePositives,
        falsePositives: group.falsePositives,
        trueNegatives: group.trueNegatives,
        falseNegatives: group.falseNegatives,
      })),
  }));
}

/**
 * The baseline a candidate is compared with: the metrics of the version the target alias serves
 * now, or `null` when the alias points nowhere yet (a first release: baseline rules are
 * inconclusive).
 */
export async function loadBaselineMetrics(
  db: DatabaseOrTransaction,
  modelId: string,
  alias: string,
): Promise<{ versionId: string; metrics: EvaluationMetric[] } | null> {
  const [current] = await db
    .select({ versionId: modelAliases.modelVersionId })
    .from(modelAliases)
    .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.name, alias)));
  if (!current) return null;
  const baseline = await loadEvaluations(db, current.versionId);
  return { versionId: current.versionId, metrics: baseline.flatMap((e) => e.metrics) };
}

/**
 * What the `model_card_complete` gate sees: `null` without a card; otherwise the missing required
 * sections, plus the approval when the card is not approved yet (a required card must be an
 * approved one, not only a filled one).
 */
export async function loadModelCardGaps(
  db: DatabaseOrTransaction,
  modelVersionId: string,
): Promise<{ missing: string[] | null; contentHash: string | null }> {
  const [card] = await db
    .select()
    .from(modelCards)
    .where(eq(modelCards.modelVersionId, modelVersionId));
  if (!card) return { missing: null, contentHash: null };
  const { missing } = modelCardCompleteness(modelCardSchema.parse(card.content));
  return {
    missing:
      card.status === "approved" ? missing : [...missing, `approval (the card is ${card.status})`],
    contentHash: card.contentHash,
  };
}
