import type { SqlClient } from "@plumbline/db/client";
import type postgres from "postgres";

export interface KeyCounts {
  apiKeyId: string;
  projectId: string;
  accepted: number;
  duplicates: number;
  rejectedByCode: Record<string, number>;
}

export function totalRejected(counts: Pick<KeyCounts, "rejectedByCode">): number {
  return Object.values(counts.rejectedByCode).reduce((sum, n) => sum + n, 0);
}

/**
 * Adds a request's outcome to its key's counters (`GET /v1/ingest/status`). Called inside the
 * write transaction, so the counters move exactly when the records commit; purely additive,
 * so any number of instances can write concurrently.
 */
export async function addToKeyCounters(
  sql: SqlClient | postgres.TransactionSql,
  counts: KeyCounts,
) {
  await sql`
    insert into api_key_ingest_counters as c
      (api_key_id, project_id, accepted, rejected, duplicates, rejected_by_code, last_seen_at)
    values (${counts.apiKeyId}, ${counts.projectId}, ${counts.accepted}, ${totalRejected(counts)},
            ${counts.duplicates}, ${JSON.stringify(counts.rejectedByCode)}::jsonb, now())
    on conflict (api_key_id) do update set
      accepted = c.accepted + excluded.accepted,
      rejected = c.rejected + excluded.rejected,
      duplicates = c.duplicates + excluded.duplicates,
      rejected_by_code = plumbline_add_jsonb_counts(c.rejected_by_code, excluded.rejected_by_code),
      last_seen_at = greatest(c.last_seen_at, excluded.last_seen_at)`;
}

export function countByCode(codes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}
