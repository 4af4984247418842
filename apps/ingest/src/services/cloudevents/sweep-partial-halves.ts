import type { SqlClient } from "@plumbline/db/client";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import { CLOUDEVENT_JOIN_TIMEOUT_MS } from "@plumbline/contracts";

import { isDatabaseUnavailable } from "../../database-errors";
import type { ReferenceProfileCache } from "../reference-profiles/reference-profile-cache";
import { CloudEventPayloadError } from "./cloudevent-limits";
import { buildCloudEventRecords } from "./cloudevent-records";
import { cloudEventModel, lockExchange, storeCloudEventRecords } from "./ingest-cloudevent";
import {
  decodeStoredHalf,
  quarantineHalves,
  type QuarantineReason,
  type StoredHalfRow,
} from "./stored-halves";

/** Halves handled per sweep transaction. */
const SWEEP_BATCH = 200;

export interface SweepOutcome {
  /** Partial records stored. */
  stored: number;
  /** Halves set aside, with why (each exchange's error is in `detail`). */
  quarantined: { joinId: string; reason: QuarantineReason; halves: number; detail: string }[];
}

/**
 * Stores CloudEvent halves whose partner never came (KServe logs no response when the model
 * failed; `mode: request` logs only requests) as partial records, counted in the rollups'
 * `partial_count`. Safe with several instances: each exchange is locked and deleted once.
 *
 * Each exchange runs in its own savepoint: one that cannot be decoded or stored is rolled back
 * alone and quarantined (kept, never retried) so that it never blocks the others. Only an
 * unreachable database fails the whole sweep, which the next run retries.
 */
export async function sweepPartialHalves(
  context: { sql: SqlClient; profiles: ReferenceProfileCache },
  now: Date = new Date(),
  timeoutMs: number = CLOUDEVENT_JOIN_TIMEOUT_MS,
): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { stored: 0, quarantined: [] };
  const cutoff = new Date(now.getTime() - timeoutMs);
  const due = await context.sql<
    { model_id: string; join_id: string; min_at: Date | string; max_at: Date | string }[]
  >`
    select model_id, join_id, min(received_at) as min_at, max(received_at) as max_at
    from cloudevent_halves
    where received_at < ${cutoff.toISOString()}::timestamptz and quarantined_at is null
    group by model_id, join_id order by model_id, join_id limit ${SWEEP_BATCH}`;
  if (due.length === 0) return outcome;
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
  await context.sql.begin(async (tx) => {
    for (const exchange of due) {
      // Taken outside the savepoint, so that rolling the savepoint back keeps the lock.
      await lockExchange(tx, exchange.model_id, exchange.join_id);
      try {
        outcome.stored += await tx.savepoint(async (savepoint) => {
          const halves = await savepoint<StoredHalfRow[]>`
            delete from cloudevent_halves
            where model_id = ${exchange.model_id} and join_id = ${exchange.join_id}
              and received_at < ${cutoff.toISOString()}::timestamptz and quarantined_at is null
            returning half, attributes, body, received_at`;
          const model = models.get(exchange.model_id);
          if (halves.length === 0 || !model) return 0;
          const half = (name: "request" | "response") => {
            const row = halves.find((h) => h.half === name);
            return row ? decodeStoredHalf(row) : null;
          };
          const built = buildCloudEventRecords(
            exchange.join_id,
            half("request"),
            half("response"),
            model,
            now,
          );
          const stored = await storeCloudEventRecords(savepoint, context, model, built, null);
          return stored.accepted.length;
        });
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        const reason: QuarantineReason =
          error instanceof CloudEventPayloadError ? "invalid_payload" : "join_failed";
        const halves = await quarantineHalves(
          tx,
          { modelId: exchange.model_id, joinId: exchange.join_id },
          reason,
        );
        outcome.quarantined.push({
          joinId: exchange.join_id,
          reason,
          halves,
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }
  });
  return outcome;
}
