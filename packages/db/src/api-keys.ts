import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import { and, eq, inArray, isNull, sql } from "drizzle-orm";

import type { DatabaseOrTransaction } from "./client";
import { appendAudit, type AuditActor } from "./audit";
import { apiKeys, type ApiKey, type ApiKeyScope } from "./schema";

/**
 * The PostgreSQL NOTIFY channel on which every change to a key's row is announced. The payload
 * is the key's public id (`keyId`, never the secret). It is sent inside the transaction that
 * changes the row, so listeners hear it only after COMMIT. Services that cache keys (ingest)
 * drop the entry when they hear it: a revocation takes effect as soon as it commits.
 */
export const API_KEY_NOTIFY_CHANNEL = "plumbline_api_keys";

/** Queues the change notification for one key; delivered when the transaction commits. */
async function notifyApiKeyChanged(tx: DatabaseOrTransaction, keyId: string) {
  await tx.execute(sql`select pg_notify(${API_KEY_NOTIFY_CHANNEL}, ${keyId})`);
}

const KEY_PATTERN = /^pl_(live|test)_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export interface ParsedApiKey {
  mode: "live" | "test";
  keyId: string;
  secret: string;
}

/** Splits `pl_<live|test>_<keyId>_<secret>`; null when the token is not of that shape. */
export function parseApiKey(token: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(token);
  if (!match) return null;
  return { mode: match[1] as "live" | "test", keyId: match[2]!, secret: match[3]! };
}

export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function randomKeyId(): string {
  const bytes = randomBytes(12);
  let id = "";
  for (const byte of bytes) id += KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length];
  return id;
}

/** A new key: the token is shown once; only keyId and the secret's hash are stored. */
export function generateApiKey(mode: "live" | "test" = "live") {
  const keyId = randomKeyId();
  const secret = randomBytes(32).toString("base64url");
  return { token: `pl_${mode}_${keyId}_${secret}`, keyId, secretHash: hashApiKeySecret(secret) };
}

export interface CreateApiKeyInput {
  projectId: string;
  name: string;
  scopes: ApiKeyScope[];
  modelAllowList?: string[] | null;
  expiresAt?: Date | null;
  mode?: "live" | "test";
}

/** The request that caused a key event, recorded on its audit row when known. */
export interface ApiKeyRequestContext {
  requestId?: string | null;
  ip?: string | null;
}

/** Creates a key and its audit row in one transaction. Returns the token, shown once. */
export async function createApiKey(
  db: DatabaseOrTransaction,
  input: CreateApiKeyInput,
  actor: AuditActor,
  request: ApiKeyRequestContext = {},
) {
  const generated = generateApiKey(input.mode ?? "live");
  return db.transaction(async (tx) => {
    const [key] = await tx
      .insert(apiKeys)
      .values({
        projectId: input.projectId,
        name: input.name,
        mode: input.mode ?? "live",
        keyId: generated.keyId,
        secretHash: generated.secretHash,
        scopes: input.scopes,
        modelAllowList: input.modelAllowList ?? null,
        expiresAt: input.expiresAt ?? null,
        createdBy: actor.type === "user" ? actor.id : null,
      })
      .returning();
    await appendAudit(tx, actor, {
      projectId: input.projectId,
      action: "api_key.create",
      resourceType: "api_key",
      resourceId: key!.id,
      after: {
        name: key!.name,
        keyId: key!.keyId,
        scopes: key!.scopes,
        modelAllowList: key!.modelAllowList,
        expiresAt: key!.expiresAt,
      },
      requestId: request.requestId ?? null,
      ip: request.ip ?? null,
    });
    // A cache that remembered this key id as unknown forgets it.
    await notifyApiKeyChanged(tx, key!.keyId);
    return { key: key!, token: generated.token };
  });
}

export async function revokeApiKey(
  db: DatabaseOrTransaction,
  input: { projectId: string; apiKeyId: string },
  actor: AuditActor,
  request: ApiKeyRequestContext = {},
): Promise<ApiKey | null> {
  return db.transaction(async (tx) => {
    const [key] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiKeys.id, input.apiKeyId),
          eq(apiKeys.projectId, input.projectId),
          isNull(apiKeys.revokedAt),
        ),
      )
      .returning();
    if (!key) return null;
    await appendAudit(tx, actor, {
      projectId: input.projectId,
      action: "api_key.revoke",
      resourceType: "api_key",
      resourceId: key.id,
      after: { keyId: key.keyId, revokedAt: key.revokedAt },
      requestId: request.requestId ?? null,
      ip: request.ip ?? null,
    });
    await notifyApiKeyChanged(tx, key.keyId);
    return key;
  });
}

export type ApiKeyAuthentication =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

/** The key row with this public id, whatever its state (revoked, expired), if there is one. */
export async function findApiKeyByKeyId(
  db: DatabaseOrTransaction,
  keyId: string,
): Promise<ApiKey | null> {
  return (await db.query.apiKeys.findFirst({ where: eq(apiKeys.keyId, keyId) })) ?? null;
}

/** The key rows with these public ids (any state), in one query; ids without a row are absent. */
export async function findApiKeysByKeyIds(
  db: DatabaseOrTransaction,
  keyIds: readonly string[],
): Promise<ApiKey[]> {
  if (keyIds.length === 0) return [];
  return db
    .select()
    .from(apiKeys)
    .where(inArray(apiKeys.keyId, [...keyIds]));
}

/**
 * Checks a presented key against the row stored under its public id (null when there is none):
 * the secret's hash in constant time, the mode, revocation and expiry at `now`. Pure, so a
 * cached row is checked exactly as a freshly read one. The reason is for logs and metrics;
 * callers answer every failure with the same 401.
 */
export function verifyApiKey(
  parsed: ParsedApiKey,
  key: ApiKey | null,
  now: Date,
): ApiKeyAuthentication {
  const presented = Buffer.from(hashApiKeySecret(parsed.secret), "hex");
  const stored = Buffer.from(key?.secretHash ?? "0".repeat(64), "hex");
  const matches = presented.length === stored.length && timingSafeEqual(presented, stored);
  if (!key || !matches || key.mode !== parsed.mode) return { ok: false, reason: "unknown" };
  if (key.revokedAt) return { ok: false, reason: "revoked" };
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) {
    return { ok: false, reason: "expired" };
  }
  return { ok: true, key };
}

/** Finds the key by its public id and verifies it (see `verifyApiKey`). */
export async function authenticateApiKey(
  db: DatabaseOrTransaction,
  token: string,
  now: Date = new Date(),
): Promise<ApiKeyAuthentication> {
  const parsed = parseApiKey(token);
  if (!parsed) return { ok: false, reason: "malformed" };
  return verifyApiKey(parsed, await findApiKeyByKeyId(db, parsed.keyId), now);
}

/** Records use without a write per request: at most one update per key per minute. */
export async function touchApiKey(db: DatabaseOrTransaction, key: ApiKey, now: Date = new Date()) {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < 60_000) return;
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
}

/**
 * Records when keys were last used, in one statement for many keys. A time never moves a key's
 * `last_used_at` backwards, so batches that arrive out of order are harmless.
 */
export async function touchApiKeys(
  db: DatabaseOrTransaction,
  uses: readonly { id: string; usedAt: Date }[],
) {
  if (uses.length === 0) return;
  const rows = JSON.stringify(uses.map((use) => ({ id: use.id, used_at: use.usedAt })));
  await db.execute(sql`
    update api_keys set last_used_at = used.used_at
    from json_to_recordset(${rows}::json) as used(id uuid, used_at timestamptz)
    where api_keys.id = used.id
      and (api_keys.last_used_at is null or api_keys.last_used_at < used.used_at)`);
}

export function apiKeyAllowsModel(key: Pick<ApiKey, "modelAllowList">, modelSlug: string) {
  return key.modelAllowList === null || key.modelAllowList.includes(modelSlug);
}

export function apiKeyHasScope(key: Pick<ApiKey, "scopes">, scope: ApiKeyScope) {
  return key.scopes.includes(scope);
}
