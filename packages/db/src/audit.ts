import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

import { and, asc, eq, gt, isNull } from "drizzle-orm";

import type { Database, DatabaseOrTransaction, Transaction } from "./client";
import { readAuditKey } from "./env";
import { auditChainHeads, auditCheckpoints, auditLog, type AuditEntry } from "./schema";

/** Who did it: a signed-in user, an API key, or Plumbline itself (`id` names the job). */
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

/** The chain of rows that belong to no project (sign-in lockouts, account linking). */
export const NO_PROJECT_CHAIN = "00000000-0000-0000-0000-000000000000";

/** The writer signs a checkpoint every this many rows of a chain (verification signs more). */
export const CHECKPOINT_EVERY = 100;

let processKey: string | undefined;
/**
 * The audit key of this process, read once (see `readAuditKey`). Servers call it at start-up so
 * that a missing key in production stops them there, naming the variable.
 */
export function auditKey(): string {
  processKey ??= readAuditKey();
  return processKey;
}

/** JSON text with object keys sorted, so the same value always hashes the same way. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A value as jsonb will give it back (dates as strings, no undefined), or null. */
function asStoredJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

type HashedFields = Pick<
  AuditEntry,
  | "id"
  | "chainSeq"
  | "occurredAt"
  | "actorType"
  | "actorId"
  | "projectId"
  | "action"
  | "resourceType"
  | "resourceId"
  | "before"
  | "after"
  | "reason"
  | "requestId"
  | "ip"
>;

/**
 * HMAC-SHA256(key, "plumbline.audit.v1" RS prev_hash RS fields joined by US), where every field
 * of the row but `seq` (a paging order only) is covered and JSON is in canonical form.
 */
export function auditRowHash(key: string, prevHash: string, row: HashedFields): string {
  const fields = [
    row.id,
    String(row.chainSeq ?? ""),
    row.occurredAt.toISOString(),
    row.actorType,
    row.actorId ?? "",
    row.projectId ?? "",
    row.action,
    row.resourceType,
    row.resourceId ?? "",
    row.before === null ? "" : canonicalJson(row.before),
    row.after === null ? "" : canonicalJson(row.after),
    row.reason ?? "",
    row.requestId ?? "",
    row.ip ?? "",
  ];
  return createHmac("sha256", key)
    .update(`plumbline.audit.v1\x1e${prevHash}\x1e${fields.join("\x1f")}`, "utf8")
    .digest("hex");
}

function checkpointSignature(
  key: string,
  checkpoint: { projectId: string; chainSeq: number; hash: string; createdAt: Date },
): string {
  return createHmac("sha256", key)
    .update(
      `plumbline.audit-checkpoint.v1\x1e${checkpoint.projectId}\x1e${checkpoint.chainSeq}\x1e` +
        `${checkpoint.hash}\x1e${checkpoint.createdAt.toISOString()}`,
      "utf8",
    )
    .digest("hex");
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Locks a chain's head row (creating it at position 0) until the transaction ends. */
async function lockChainHead(tx: Transaction, chain: string) {
  await tx.insert(auditChainHeads).values({ projectId: chain }).onConflictDoNothing();
  const [head] = await tx
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.projectId, chain))
    .for("update");
  return head!;
}

async function signCheckpoint(
  tx: DatabaseOrTransaction,
  key: string,
  chain: string,
  chainSeq: number,
  hash: string,
): Promise<void> {
  const createdAt = new Date();
  await tx
    .insert(auditCheckpoints)
    .values({
      projectId: chain,
      chainSeq,
      hash,
      createdAt,
      signature: checkpointSignature(key, { projectId: chain, chainSeq, hash, createdAt }),
    })
    .onConflictDoNothing();
}

/**
 * Appends one audit row: the one way audit rows are written. Call it inside the transaction
 * that makes the change, so the change and its record commit together. It locks the project's
 * chain head, so concurrent writers of one project queue while other projects do not wait.
 */
export async function appendAudit(
  tx: DatabaseOrTransaction,
  actor: AuditActor,
  entry: AuditEntryInput,
): Promise<void> {
  const key = auditKey();
  const chain = entry.projectId ?? NO_PROJECT_CHAIN;
  // A savepoint inside the caller's transaction, or a transaction of its own.
  await tx.transaction(async (inner) => {
    const head = await lockChainHead(inner, chain);
    const row: HashedFields = {
      id: randomUUID(),
      chainSeq: head.chainSeq + 1,
      occurredAt: new Date(),
      actorType: actor.type,
      actorId: actor.id ?? null,
      projectId: entry.projectId ?? null,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      before: asStoredJson(entry.before),
      after: asStoredJson(entry.after),
      reason: entry.reason ?? null,
      requestId: entry.requestId ?? null,
      ip: entry.ip ?? null,
    };
    const hash = auditRowHash(key, head.hash, row);
    await inner.insert(auditLog).values({ ...row, prevHash: head.hash, hash });
    if (row.chainSeq! % CHECKPOINT_EVERY === 0) {
      await signCheckpoint(inner, key, chain, row.chainSeq!, hash);
    }
  });
}

/**
 * Chains the rows written before the chain was keyed (they have no `chainSeq`), in their old
 * order, onto their project's chain. Runs after every migration; does nothing once done.
 */
export async function sealLegacyAuditRows(db: Database, key?: string): Promise<number> {
  let sealed = 0;
  for (;;) {
    const pending = await db
      .select({ projectId: auditLog.projectId })
      .from(auditLog)
      .where(isNull(auditLog.chainSeq))
      .limit(1);
    if (pending.length === 0) return sealed;
    const projectId = pending[0]!.projectId;
    sealed += await db.transaction(async (tx) => {
      const chain = projectId ?? NO_PROJECT_CHAIN;
      const head = await lockChainHead(tx, chain);
      const rows = await tx
        .select()
        .from(auditLog)
        .where(
          and(
            isNull(auditLog.chainSeq),
            projectId === null ? isNull(auditLog.projectId) : eq(auditLog.projectId, projectId),
          ),
        )
        .orderBy(asc(auditLog.seq));
      let { chainSeq, hash } = head;
      for (const row of rows) {
        chainSeq += 1;
        // The key is read only when there is something to seal.
        const next = auditRowHash(key ?? auditKey(), hash, { ...row, chainSeq });
        await tx
          .update(auditLog)
          .set({ chainSeq, prevHash: hash, hash: next })
          .where(eq(auditLog.id, row.id));
        hash = next;
      }
      await tx
        .update(auditChainHeads)
        .set({ chainSeq, hash })
        .where(eq(auditChainHeads.projectId, chain));
      return rows.length;
    });
  }
}

export type AuditChainProblem =
  | "hash_mismatch"
  | "link_mismatch"
  | "gap"
  | "truncated"
  | "checkpoint_signature"
  | "checkpoint_mismatch";

export type AuditChainVerification =
  | {
      ok: true;
      /** Rows re-hashed by this verification (from the starting checkpoint on). */
      checked: number;
      /** The chain position verification started after (0 for a full walk). */
      fromChainSeq: number;
      head: { chainSeq: number; hash: string };
    }
  | {
      ok: false;
      checked: number;
      brokenAt: { chainSeq: number; id: string | null; problem: AuditChainProblem };
    };

export interface VerifyAuditChainOptions {
  /** Re-hash from the first row instead of from the latest checkpoint. */
  full?: boolean;
  /** Defaults to this process's key (`PLUMBLINE_AUDIT_KEY`). */
  key?: string;
  /** Sign a checkpoint at the verified head (default true), so the next run starts there. */
  checkpoint?: boolean;
}

const PAGE = 1000;

/**
 * Verifies one project's chain (`null`: the chain of rows without a project) and reads no other
 * project's rows. Starts from the latest signed checkpoint (or the first row with `full`),
 * recomputes every later row's HMAC and link, and reports a tail deleted after a checkpoint or
 * behind the chain head as `truncated`.
 */
export async function verifyAuditChain(
  db: Database,
  projectId: string | null,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainVerification> {
  const key = options.key ?? auditKey();
  const chain = projectId ?? NO_PROJECT_CHAIN;
  const inChain =
    projectId === null ? isNull(auditLog.projectId) : eq(auditLog.projectId, projectId);
  let checked = 0;
  const broken = (chainSeq: number, id: string | null, problem: AuditChainProblem) => ({
    ok: false as const,
    checked,
    brokenAt: { chainSeq, id, problem },
  });

  const checkpoints = await db
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.projectId, chain))
    .orderBy(asc(auditCheckpoints.chainSeq));
  const toCheck = options.full ? checkpoints : checkpoints.slice(-1);
  for (const checkpoint of toCheck) {
    if (!sameHex(checkpoint.signature, checkpointSignature(key, checkpoint))) {
      return broken(checkpoint.chainSeq, null, "checkpoint_signature");
    }
  }
  const expectedAt = new Map(toCheck.map((checkpoint) => [checkpoint.chainSeq, checkpoint.hash]));
  const latest = checkpoints.at(-1);

  let previousHash = "";
  let position = 0;
  if (!options.full && latest) {
    const [anchor] = await db
      .select({ id: auditLog.id, hash: auditLog.hash })
      .from(auditLog)
      .where(and(inChain, eq(auditLog.chainSeq, latest.chainSeq)));
    if (!anchor) return broken(latest.chainSeq, null, "truncated");
    if (anchor.hash !== latest.hash)
      return broken(latest.chainSeq, anchor.id, "checkpoint_mismatch");
    previousHash = latest.hash;
    position = latest.chainSeq;
  }
  const fromChainSeq = position;

  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(inChain, gt(auditLog.chainSeq, position)))
      .orderBy(asc(auditLog.chainSeq))
      .limit(PAGE);
    for (const row of rows) {
      const chainSeq = row.chainSeq!;
      if (chainSeq !== position + 1) return broken(position + 1, row.id, "gap");
      if (row.prevHash !== previousHash) return broken(chainSeq, row.id, "link_mismatch");
      if (!sameHex(row.hash, auditRowHash(key, row.prevHash, row))) {
        return broken(chainSeq, row.id, "hash_mismatch");
      }
      const expected = expectedAt.get(chainSeq);
      if (expected !== undefined && expected !== row.hash) {
        return broken(chainSeq, row.id, "checkpoint_mismatch");
      }
      previousHash = row.hash;
      position = chainSeq;
      checked += 1;
    }
    if (rows.length < PAGE) break;
  }

  if (latest && latest.chainSeq > position) return broken(position + 1, null, "truncated");
  const [head] = await db
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.projectId, chain));
  if (head && (head.chainSeq !== position || head.hash !== previousHash)) {
    return broken(position + 1, null, "truncated");
  }
  if (options.checkpoint !== false && position > (latest?.chainSeq ?? 0)) {
    await signCheckpoint(db, key, chain, position, previousHash);
  }
  return { ok: true, checked, fromChainSeq, head: { chainSeq: position, hash: previousHash } };
}
