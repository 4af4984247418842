import type { SqlClient } from "@plumbline/db/client";

import { describeDatabaseFailure } from "../../database-errors";

/** Readiness answers quickly even when connecting hangs (a firewall dropping packets). */
export const READINESS_TIMEOUT_MS = 2_000;

export type Readiness = { ready: true } | { ready: false; reason: string };

export async function checkReadiness(
  sql: SqlClient,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: `database did not answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const probe = sql`select 1`.then(
    (): Readiness => ({ ready: true }),
    (error: unknown): Readiness => ({
      ready: false,
      reason: `database unreachable (${describeDatabaseFailure(error)})`,
    }),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
