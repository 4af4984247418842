import { expireDuePromotions } from "@plumbline/api/services/promotions/decide-promotion";
import type { Database } from "@plumbline/db/client";

import { silentLogger, type Logger } from "../logger";

/**
 * Closes promotion requests whose approval window has elapsed (`awaiting_approval` ->
 * `expired`, as the system, with its audit row and `promotion.expired` outbox event). Safe from
 * several workers at once: each transition is an optimistically locked update, so a request
 * expired (or decided) by someone else meanwhile is skipped, never expired twice. One request that
 * cannot be expired is logged and counted, and the run goes on with the others; the next run
 * tries it again.
 */
export async function expirePromotions(
  db: Database,
  options: { now?: () => Date; log?: Logger } = {},
): Promise<{ expired: string[]; failed: string[] }> {
  const log = options.log ?? silentLogger;
  const result = await expireDuePromotions(db, options.now ? options.now() : new Date());
  if (result.expired.length > 0) {
    log.info("expired promotion requests past their approval window", {
      requestIds: result.expired,
    });
  }
  for (const failure of result.failed) {
    log.error("could not expire a promotion request; the others went on", {
      requestId: failure.requestId,
      err: failure.error,
    });
  }
  return { expired: result.expired, failed: result.failed.map((failure) => failure.requestId) };
}
