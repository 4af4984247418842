import { createHash } from "node:crypto";

import type postgres from "postgres";

import type { DatabaseOrTransaction } from "./client";
import { auditLog } from "./schema";

/** Who did it: a signed-in user, an API key, or Plumbline itself. */
export type AuditActor =
  { type: "user"; id: string } | { type: "api_key"; id: string } | { type: "system"; id?: string };

export interface AuditEntryInput {
  projectId?: string | null;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * Appends one audit row. Call it inside the transaction that makes the change, so the change
 * and its record commit together. The database fills in seq, prev_hash and hash.
 */
export async function appendAudit(
  tx: DatabaseOrTransaction,
  actor: AuditActor,
  entry: AuditEntryInput,
): Promise<void> {
  await tx.insert(auditLog).values({
    actorType: actor.type,
    actorId: actor.id ?? null,
    projectId: entry.projectId ?? null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
  });
}

export type AuditChainVerification =
  | { ok: true; checked: number }
  | {
      ok: false;
      checked: number;
      brokenAt: { seq: number; id: string; problem: "hash_mismatch" | "link_mismatch" | "gap" };
    };

/**
 * Walks the chain in order and recomputes every hash in Node (independently of the trigger
 * that wrote it): hash = sha256(prev_hash || 0x1e || canonical text). Reports the first row
 * whose content, link to its predecessor or sequence number does not check out.
 */
export async function verifyAuditChain(sql: postgres.Sql): Promise<AuditChainVerification> {
  let previousHash = "";
  let expectedSeq = 1;
  let checked = 0;
  const cursor = sql<
    { id: string; seq: string; prev_hash: string; hash: string; canonical: string }[]
  >`
    select a.id, a.seq, a.prev_hash, a.hash, audit_log_canonical_text(a) as canonical
    from audit_log a order by a.seq
  `.cursor(1000);
  for await (const rows of cursor) {
    for (const row of rows) {
      const seq = Number(row.seq);
      const brokenAt = (problem: "hash_mismatch" | "link_mismatch" | "gap") => ({
        ok: false as const,
        checked,
        brokenAt: { seq, id: row.id, problem },
      });
      if (seq !== expectedSeq) return brokenAt("gap");
      if (row.prev_hash !== previousHash) return brokenAt("link_mismatch");
      const recomputed = createHash("sha256")
        .update(`${row.prev_hash}\x1e${row.canonical}`, "utf8")
        .digest("hex");
      if (recomputed !== row.hash) return brokenAt("hash_mismatch");
      previousHash = row.hash;
      expectedSeq = seq + 1;
      checked += 1;
    }
  }
  return { ok: true, checked };
}
