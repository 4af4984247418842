import type { SqlClient } from "@plumbline/db/client";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import { CLOUDEVENT_JOIN_TIMEOUT_MS } from "@plumbline/contracts";

import type { ReferenceProfileCache } from "../reference-profile-cache";
import { buildCloudEventRecords } from "./cloudevent-records";
import { cloudEventModel, lockExchange, storeCloudEventRecords } from "./ingest-cloudevent";
import { asDate } from "../sql-arrays";

/** Halves handled per sweep transaction. */
const SWEEP_BATCH = 200;

/**
 * Stores CloudEvent halves whose partner never came (KServe logs no response when the model
 * failed; `mode: request` logs only requests) as partial records, counted in the rollups'
 * `partial_count`. Safe with several instances: each exchange is locked and deleted once.
 */
export async function sweepPartialHalves(
  context: { sql: SqlClient; profiles: ReferenceProfileCache },
  now: Date = new Date(),
  timeoutMs: number = CLOUDEVENT_JOIN_TIMEOUT_MS,
): Promise<number> {
  const cutoff = new Date(now.getTime() - timeoutMs);
  const due = await context.sql<
    { model_id: string; join_id: string; min_at: Date | string; max_at: Date | string }[]
  >`
    select model_id, join_id, min(received_at) as min_at, max(received_at) as max_at
    from cloudevent_halves where received_at < ${cutoff.toISOString()}::timestamptz
    group by model_id, join_id order by model_id, join_id limit ${SWEEP_BATCH}`;
  if (due.length === 0) return 0;
  const day = 24 * 60 * 60 * 1000;
  await ensurePredictionPartitions(
    context.sql,
    new Date(now.getTime() - 2 * day),
    new Date(now.getTime() + day),
  );
  const models = new Map(
    (
      await cloudEventModel(context.sql, { modelIds: [...new Set(due.map((d) => d.model_id))] })
    ).map((m) => [m.id, m]),
  );
  let stored = 0;
  await context.sql.begin(async (tx) => {
    for (const exchange of due) {
      await lockExchange(tx, exchange.model_id, exchange.join_id);
      const halves = await tx<
        {
          half: "request" | "response";
          attributes: Record<string, string>;
          body: unknown;
          received_at: Date | string;
          api_key_id: string;
        }[]
      >`
        delete from cloudevent_halves
        where model_id = ${exchange.model_id} and join_id = ${exchange.join_id} and received_at < ${cutoff.toISOString()}::timestamptz
        returning half, attributes, body, received_at, api_key_id`;
      const model = models.get(exchange.model_id);
      if (halves.length === 0 || !model) continue;
      const toHalf = (row: (typeof halves)[number]) => ({
        half: row.half,
        attributes: row.attributes,
        body: row.body,
        receivedAt: asDate(row.received_at),
      });
      const request = halves.find((h) => h.half === "request");
      const response = halves.find((h) => h.half === "response");
      const built = buildCloudEventRecords(
        exchange.join_id,
        request ? toHalf(request) : null,
        response ? toHalf(response) : null,
        model,
        now,
      );
      const outcome = await storeCloudEventRecords(tx, context, model, built, null);
      stored += outcome.accepted.length;
    }
  });
  return stored;
}
