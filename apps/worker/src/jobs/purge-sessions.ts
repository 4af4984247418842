import { purgeFinishedSessions } from "@plumbline/auth/sessions";
import type { Database } from "@plumbline/db/client";

import { silentLogger, type Logger } from "../logger";

/**
 * Deletes sign-in sessions that ended (or passed their absolute lifetime) more than a week ago,
 * so `user_sessions` stays the size of the active user base. One DELETE; safe from several
 * workers at once.
 */
export async function purgeSessions(
  db: Database,
  options: { log?: Logger } = {},
): Promise<{ purged: number }> {
  const purged = await purgeFinishedSessions(db);
  if (purged > 0) (options.log ?? silentLogger).info("purged finished sessions", { purged });
  return { purged };
}
