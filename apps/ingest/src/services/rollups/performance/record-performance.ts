import type { PerformanceContribution } from "@plumbline/db/schema";
import type postgres from "postgres";

import { startOfMinute } from "../minute-rollups";
import { asDate, textArray } from "../../sql/sql-arrays";
import { computePerformanceContribution } from "./performance-contribution";
import { addPerformanceRollups, type SignedContribution } from "./performance-rollups";
import { POSITIVE_CLASS_TAG } from "./positive-class";

/** A joined label whose contribution to the performance rollups is to be (re)computed. */
export interface JoinedLabel {
  modelId: string;
  predictionId: string;
  labelName: string;
  /** The joined prediction's version and timestamp: with the two ids, its primary key. */
  version: string;
  predictionTs: Date;
  /** What the label added before (its previous revision); null on its first join. */
  previous: PerformanceContribution | null;
}

interface PairRow {
  index: string;
  actual: Record<string, unknown>;
  prediction: Record<string, unknown> | null;
  deployment: string | null;
  task: string;
  positive_class: string | null;
}

/**
 * Brings the performance rollups up to date with labels that just met their prediction or
 * were just revised, in the caller's transaction (which already holds the label rows' locks,
 * through its join or upsert): each label's new contribution is computed from its current
 * `actual` and the stored prediction, its previous one (if any) subtracted, and the new one
 * kept on the label row for the next revision. A label whose prediction is no longer stored
 * (its partition dropped by retention) keeps its previous contribution.
 */
export async function recordPerformanceContributions(
  tx: postgres.TransactionSql,
  joined: readonly JoinedLabel[],
): Promise<void> {
  if (joined.length === 0) return;
  const rows = await tx<PairRow[]>`
    select t.index::text as index, l.actual, p.prediction, p.deployment, m.task::text as task,
      v.tags ->> ${POSITIVE_CLASS_TAG} as positive_class
    from unnest(
      ${textArray(
        tx,
        joined.map((j) => j.modelId),
      )}::uuid[], ${textArray(
        tx,
        joined.map((j) => j.predictionId),
      )}::text[],
      ${textArray(
        tx,
        joined.map((j) => j.labelName),
      )}::text[], ${textArray(
        tx,
        joined.map((j) => j.version),
      )}::text[],
      ${textArray(
        tx,
        joined.map((j) => j.predictionTs.toISOString()),
      )}::timestamptz[]
    ) with ordinality as t(model_id, prediction_id, label_name, version, ts, index)
    join labels l on l.model_id = t.model_id and l.prediction_id = t.prediction_id
      and l.label_name = t.label_name
    join models m on m.id = t.model_id
    join model_versions v on v.model_id = t.model_id and v.version = t.version
    left join predictions p on p.model_id = t.model_id and p.ts = t.ts
      and p.prediction_id = t.prediction_id and p.version = t.version`;

  const signed: SignedContribution[] = [];
  const updated: { label: JoinedLabel; contribution: PerformanceContribution }[] = [];
  for (const row of rows) {
    const label = joined[Number(row.index) - 1]!;
    if (row.prediction === null || row.deployment === null) continue;
    const contribution = computePerformanceContribution(
      {
        task: row.task,
        declaredPositiveClass: row.positive_class,
        prediction: row.prediction,
        actual: row.actual,
      },
      {
        version: label.version,
        deployment: row.deployment,
        minute: startOfMinute(asDate(label.predictionTs)),
      },
    );
    const { modelId, labelName } = label;
    if (label.previous) {
      signed.push({ modelId, labelName, contribution: label.previous, sign: -1 });
    }
    signed.push({ modelId, labelName, contribution, sign: 1 });
    updated.push({ label, contribution });
  }
  if (updated.length === 0) return;

  await tx`
    update labels l set performance_contribution = t.contribution::jsonb
    from unnest(
      ${textArray(
        tx,
        updated.map((u) => u.label.modelId),
      )}::uuid[], ${textArray(
        tx,
        updated.map((u) => u.label.predictionId),
      )}::text[],
      ${textArray(
        tx,
        updated.map((u) => u.label.labelName),
      )}::text[], ${textArray(
        tx,
        updated.map((u) => JSON.stringify(u.contribution)),
      )}::text[]
    ) as t(model_id, prediction_id, label_name, contribution)
    where l.model_id = t.model_id and l.prediction_id = t.prediction_id
      and l.label_name = t.label_name`;
  await addPerformanceRollups(tx, signed);
}
