import type postgres from "postgres";

import { INGEST_NOTIFY_CHANNEL } from "@plumbline/db/ingest-notifications";

import { textArray } from "../sql/sql-arrays";

/**
 * Queues `pg_notify(plumbline_ingest, <model id>)` for each model whose rollups the transaction
 * changes. PostgreSQL delivers it only at COMMIT (never for a rolled-back write) and folds
 * identical payloads of one transaction into one, so a group commit of many requests is one
 * notification per model. Open dashboards re-read their rollups when they hear it.
 */
export function notifyRollupsChanged(
  tx: postgres.TransactionSql,
  modelIds: Iterable<string>,
): Promise<unknown> {
  const ids = [...new Set(modelIds)].sort();
  if (ids.length === 0) return Promise.resolve();
  return tx`
    select pg_notify(${INGEST_NOTIFY_CHANNEL}, model_id)
    from unnest(${textArray(tx, ids)}::text[]) as model_id`;
}
