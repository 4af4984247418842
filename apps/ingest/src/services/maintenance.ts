import type { SqlClient } from "@plumbline/db/client";
import type { FastifyBaseLogger } from "fastify";

import { sweepPartialHalves } from "./cloudevents/sweep-partial-halves";
import { deleteExpiredIdempotencyKeys } from "./idempotency-ledger";
import { joinRacedPendingLabels } from "./join-pending-labels";
import type { ReferenceProfileCache } from "./reference-profile-cache";

/**
 * The service's periodic work: unmatched CloudEvent halves become partial records after the
 * join timeout, expired Idempotency-Keys are forgotten, raced label joins are repaired. Every
 * step is safe to run from several instances at once. Returns a function that stops it and
 * waits for a run in progress.
 */
export function startMaintenance(
  context: { sql: SqlClient; profiles: ReferenceProfileCache },
  intervalMs: number,
  log: FastifyBaseLogger,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = async () => {
    try {
      const partial = await sweepPartialHalves(context);
      if (partial > 0)
        log.info({ partial }, "stored unmatched CloudEvent halves as partial records");
      await joinRacedPendingLabels(context.sql);
      await deleteExpiredIdempotencyKeys(context.sql);
    } catch (error) {
      // The database may be down; the next run retries, nothing is lost (halves stay stored).
      log.warn({ err: error }, "maintenance run failed");
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = run().finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
