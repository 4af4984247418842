import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import { and, eq, isNull } from "drizzle-orm";

import type { DatabaseOrTransaction } from "./client";
import { appendAudit, type AuditActor } from "./audit";
import { apiKeys, type ApiKey, type ApiKeyScope } from "./schema";

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
    return key;
  });
}

export type ApiKeyAuthentication =
  | { ok: true; key: ApiKey }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

/**
 * Finds the key by its public id and compares the secret's hash in constant time. The
 * reason is for logs and metrics; callers answer every failure with the same 401.
 */
export async function authenticateApiKey(
  db: DatabaseOrTransaction,
  token: string,
  now: Date = new Date(),
): Promise<ApiKeyAuthentication> {
  const parsed = parseApiKey(token);
  if (!parsed) return { ok: false, reason: "malformed" };
  const key = await db.query.apiKeys.findFirst({ where: eq(apiKeys.keyId, parsed.keyId) });
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

/** Records use without a write per request: at most one update per key per minute. */
export async function touchApiKey(db: DatabaseOrTransaction, key: ApiKey, now: Date = new Date()) {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < 60_000) return;
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
}

export function apiKeyAllowsModel(key: Pick<ApiKey, "modelAllowList">, modelSlug: string) {
  return key.modelAllowList === null || key.modelAllowList.includes(modelSlug);
}

export function apiKeyHasScope(key: Pick<ApiKey, "scopes">, scope: ApiKeyScope) {
  return key.scopes.includes(scope);
}
