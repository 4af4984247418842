import type { SqlClient } from "@plumbline/db/client";
import type postgres from "postgres";

import { labelJoinOf, recordLabelJoins, type JoinedLabelRow } from "../rollups/label-rollups";
import { textArray } from "../sql/sql-arrays";

/** Labels wait this long for their prediction; older pending labels are no longer joined. */
export const LABEL_JOIN_WINDOW_DAYS = 30;

export interface ArrivedPrediction {
  modelId: string;
  predictionId: string;
  version: string;
  /** Its stored timestamp text, to the microsecond. */
  tsText: string;
}

/**
 * Joins labels that arrived before their prediction to the predictions just stored, in the same
 * transaction: the label delay is recorded, label coverage counted and the pair's performance
 * added. Only pending labels are probed (a partial index), so this costs next to nothing when
 * there are none.
 */
export async function joinPendingLabels(
  tx: postgres.TransactionSql,
  arrived: readonly ArrivedPrediction[],
): Promise<number> {
  if (arrived.length === 0) return 0;
  const joined = await tx<JoinedLabelRow[]>`
    with arrived as (
      select * from unnest(
        ${textArray(
          tx,
          arrived.map((p) => p.modelId),
        )}::uuid[], ${textArray(
          tx,
          arrived.map((p) => p.predictionId),
        )}::text[],
        ${textArray(
          tx,
          arrived.map((p) => p.version),
        )}::text[], ${textArray(
          tx,
          arrived.map((p) => p.tsText),
        )}::timestamptz[]
      ) as a(model_id, prediction_id, version, ts)
    )
    update labels l
    set joined_at = now(), prediction_ts = a.ts,
        delay_ms = extract(epoch from (l.observed_at - a.ts)) * 1000
    from arrived a
    where l.joined_at is null
      and l.model_id = a.model_id and l.prediction_id = a.prediction_id
      and (l.version is null or l.version = a.version)
      and l.received_at > now() - make_interval(days => ${LABEL_JOIN_WINDOW_DAYS})
    returning l.model_id, l.prediction_id, l.label_name, a.version, a.ts, l.delay_ms`;
  await recordLabelJoins(tx, joined.map(labelJoinOf));
  return joined.length;
}

/**
 * Repairs the one race the per-request joins miss: a label and its prediction committed at the
 * same moment by two transactions that could not see each other. Run by the periodic
 * maintenance; joins pending labels whose prediction is stored.
 */
export async function joinRacedPendingLabels(sql: SqlClient): Promise<number> {
  return sql.begin(async (tx) => {
    const joined = await tx<JoinedLabelRow[]>`
      with candidates as (
        select l.model_id, l.prediction_id, l.label_name, k.version, k.ts,
          row_number() over (partition by l.model_id, l.prediction_id, l.label_name
                             order by k.ts, k.version) as rank
        from labels l
        join model_versions v on v.model_id = l.model_id and (l.version is null or v.version = l.version)
        join prediction_keys k on k.model_id = l.model_id and k.version = v.version
          and k.prediction_id = l.prediction_id
        where l.joined_at is null
          and l.received_at > now() - make_interval(days => ${LABEL_JOIN_WINDOW_DAYS})
      )
      update labels l
      set joined_at = now(), prediction_ts = c.ts,
          delay_ms = extract(epoch from (l.observed_at - c.ts)) * 1000
      from candidates c
      where c.rank = 1 and l.model_id = c.model_id and l.prediction_id = c.prediction_id
        and l.label_name = c.label_name and l.joined_at is null
      returning l.model_id, l.prediction_id, l.label_name, c.version, c.ts, l.delay_ms`;
    await recordLabelJoins(tx, joined.map(labelJoinOf));
    return joined.length;
  });
}
