import type { IngestStatusResponse } from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";
import { countQuarantinedHalves } from "../cloudevents/stored-halves";
import { asDateOrNull } from "../sql/sql-arrays";

/** The presenting key's counters, zero before its first write. */
export async function readIngestStatus(sql: SqlClient, key: ApiKey): Promise<IngestStatusResponse> {
  const [row] = await sql<
    {
      accepted: string;
      rejected: string;
      duplicates: string;
      rejected_by_code: Record<string, number>;
      last_seen_at: Date | string | null;
    }[]
  >`
    select accepted, rejected, duplicates, rejected_by_code, last_seen_at
    from api_key_ingest_counters where api_key_id = ${key.id}`;
  const quarantined = await countQuarantinedHalves(sql, key.id);
  return {
    key: {
      key_id: key.keyId,
      name: key.name,
      scopes: key.scopes,
      model_allow_list: key.modelAllowList,
      expires_at: key.expiresAt?.toISOString() ?? null,
    },
    accepted: Number(row?.accepted ?? 0),
    rejected: Number(row?.rejected ?? 0),
    rejected_by_code: row?.rejected_by_code ?? {},
    duplicates: Number(row?.duplicates ?? 0),
    last_seen_at: asDateOrNull(row?.last_seen_at ?? null)?.toISOString() ?? null,
    cloudevent_halves_quarantined: quarantined,
  };
}
