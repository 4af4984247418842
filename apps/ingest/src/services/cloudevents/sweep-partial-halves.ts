import type { SqlClient } from "@plumbline/db/client";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import { CLOUDEVENT_JOIN_TIMEOUT_MS } from "@plumbline/contracts";

import { isDatabaseUnavailable } from "../../database-errors";
import type { ReferenceProfileCache } from "../reference-profiles/reference-profile-cache";
import { CloudEventPayloadError } from "./cloudevent-limits";
import { addToKeyCounters } from "../status/key-counters";
import { cloudEventModel } from "./cloudevent-model";
import { buildCloudEventRecords, rowCountOf } from "./cloudevent-records";
import { lockExchange, storeCloudEventRecords } from "./ingest-cloudevent";
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
  /** Rows of swept halves that could not be stored, by reason (also in the keys' counters). */
  rejected: Record<string, number>;
  /** Halves set aside, with why (each exchange's error is in `detail`). */
  quarantined: { joinId: string; reason: QuarantineReason; halves: number; detail: string }[];
}

interface DueExchange {
  model_id: string;
  join_id: string;
  node: string;
  /** The key that sent the first half, whose counters the exchange's outcome moves. */
  api_key_id: string;
  project_id: string | null;
}

/**
 * Stores CloudEvent halves whose partner never came (KServe logs no response when the model
 * failed; `mode: request` logs only requests) as partial records, counted in the rollups'
 * `partial_count` and in the sending key's counters. Safe with several instances: each
 * exchange is locked and deleted once. A half whose rows cannot be stored (outside the time
 * window by now, its model gone) is deleted only together with a count under that reason.
 *
 * Each exchange runs in its own savepoint: one that cannot be decoded or stored is rolled back
 * alone and quarantined (kept, never retried) so that it never blocks the others. Only an
 * unreachable database fails the whole sweep, which the next run retries.
 */
export async function sweepPartialHalves(
  context: { sql: SqlClient; profiles: ReferenceProfileCache },
  now: Date = new Date(),
  joinWindowMs: number = CLOUDEVENT_JOIN_TIMEOUT_MS,
): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { stored: 0, rejected: {}, quarantined: [] };
  const cutoff = new Date(now.getTime() - joinWindowMs);
  const due = await context.sql<DueExchange[]>`
    select h.model_id, h.join_id, h.node,
      (array_agg(h.api_key_id order by h.received_at))[1] as api_key_id,
      (array_agg(k.project_id order by h.received_at))[1] as project_id
    from cloudevent_halves h left join api_keys k on k.id = h.api_key_id
    where h.received_at < ${cutoff.toISOString()}::timestamptz and h.quarantined_at is null
    group by h.model_id, h.join_id, h.node
    order by h.model_id, h.join_id, h.node limit ${SWEEP_BATCH}`;
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
      await lockExchange(tx, exchange.model_id, exchange.join_id, exchange.node);
      try {
        const result = await tx.savepoint(async (savepoint) => {
          const halves = await savepoint<StoredHalfRow[]>`
            delete from cloudevent_halves
            where model_id = ${exchange.model_id} and join_id = ${exchange.join_id}
              and node = ${exchange.node}
              and received_at < ${cutoff.toISOString()}::timestamptz and quarantined_at is null
            returning half, attributes, body, received_at`;
          if (halves.length === 0) return { stored: 0, rejected: {} };
          const half = (name: "request" | "response") => {
            const row = halves.find((h) => h.half === name);
            return row ? decodeStoredHalf(row) : null;
          };
          const key = exchange.project_id
            ? { id: exchange.api_key_id, projectId: exchange.project_id }
            : null;
          const model = models.get(exchange.model_id);
          if (!model) {
            // The model was deleted while its halves waited: counted, never dropped silently.
            const rows = Math.max(1, rowCountOf(half("request"), half("response")));
            if (key) {
              await addToKeyCounters(savepoint, {
                apiKeyId: key.id,
                projectId: key.projectId,
                accepted: 0,
                duplicates: 0,
                rejectedByCode: { unknown_model: rows },
              });
            }
            return { stored: 0, rejected: { unknown_model: rows } };
          }
          const built = buildCloudEventRecords(
            { joinId: exchange.join_id, node: exchange.node },
            half("request"),
            half("response"),
            model,
            now,
          );
          const stored = await storeCloudEventRecords(savepoint, context, model, built, key);
          return { stored: stored.accepted.length, rejected: stored.rejectedByCode };
        });
        outcome.stored += result.stored;
        for (const [code, count] of Object.entries(result.rejected)) {
          outcome.rejected[code] = (outcome.rejected[code] ?? 0) + count;
        }
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        const reason: QuarantineReason =
          error instanceof CloudEventPayloadError ? "invalid_payload" : "join_failed";
        const halves = await quarantineHalves(
          tx,
          { modelId: exchange.model_id, joinId: exchange.join_id, node: exchange.node },
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
