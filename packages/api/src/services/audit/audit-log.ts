import { and, desc, eq, gte, inArray, like, lt, lte, type SQL } from "drizzle-orm";

import type { Database, DatabaseOrTransaction } from "@plumbline/db/client";
import { verifyAuditChain } from "@plumbline/db/audit";
import {
  apiKeys,
  auditLog,
  models,
  modelVersions,
  users,
  type AuditEntry,
} from "@plumbline/db/schema";

export interface AuditLogFilter {
  /** Exact action, or a prefix ending in `.` or `*` (e.g. `promotion.`). */
  action?: string;
  resourceType?: string;
  resourceId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** Rows with `seq` below this (the cursor of the previous page). */
  beforeSeq?: number;
  limit?: number;
}

/** A project's audit rows, newest first, filtered; `nextCursor` pages further back. */
export async function listAuditLog(
  db: DatabaseOrTransaction,
  projectId: string,
  filter: AuditLogFilter = {},
) {
  const conditions: SQL[] = [eq(auditLog.projectId, projectId)];
  if (filter.action) {
    conditions.push(
      filter.action.endsWith(".") || filter.action.endsWith("*")
        ? like(auditLog.action, `${filter.action.replace(/\*$/, "").replace(/[%_\\]/g, "\\$&")}%`)
        : eq(auditLog.action, filter.action),
    );
  }
  if (filter.resourceType) conditions.push(eq(auditLog.resourceType, filter.resourceType));
  if (filter.resourceId) conditions.push(eq(auditLog.resourceId, filter.resourceId));
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.from) conditions.push(gte(auditLog.occurredAt, filter.from));
  if (filter.to) conditions.push(lte(auditLog.occurredAt, filter.to));
  if (filter.beforeSeq !== undefined) conditions.push(lt(auditLog.seq, filter.beforeSeq));
  const limit = filter.limit ?? 50;
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    rows: await withDisplayLabels(db, projectId, page),
    nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version id an alias-move row mentions (before.versionId, after.fromVersionId...). */
function versionIdsOf(row: AuditEntry): string[] {
  if (row.resourceType !== "model_alias") return [];
  const ids: unknown[] = [];
  for (const side of [row.before, row.after]) {
    if (side && typeof side === "object") {
      const record = side as Record<string, unknown>;
      ids.push(record.versionId, record.fromVersionId, record.toVersionId);
    }
  }
  return ids.filter((id): id is string => typeof id === "string" && uuidPattern.test(id));
}

/**
 * Adds what a reader needs instead of ids: `actorLabel` (a user's name and email, an API key's
 * name, or "Plumbline (system: job)") and, for alias moves, `resourceLabel` with version
 * labels ("production: v1 → v2").
 */
async function withDisplayLabels(db: DatabaseOrTransaction, projectId: string, rows: AuditEntry[]) {
  const idsOf = (type: AuditEntry["actorType"]) => [
    ...new Set(
      rows
        .filter((row) => row.actorType === type && row.actorId && uuidPattern.test(row.actorId))
        .map((row) => row.actorId!),
    ),
  ];
  const userIds = idsOf("user");
  const keyIds = idsOf("api_key");
  const versionIds = [...new Set(rows.flatMap(versionIdsOf))];
  const [people, keys, versions] = await Promise.all([
    userIds.length === 0
      ? []
      : db
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(inArray(users.id, userIds)),
    keyIds.length === 0
      ? []
      : db
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(and(inArray(apiKeys.id, keyIds), eq(apiKeys.projectId, projectId))),
    versionIds.length === 0
      ? []
      : db
          .select({ id: modelVersions.id, version: modelVersions.version })
          .from(modelVersions)
          .innerJoin(models, eq(models.id, modelVersions.modelId))
          .where(and(inArray(modelVersions.id, versionIds), eq(models.projectId, projectId))),
  ]);
  const personById = new Map(people.map((person) => [person.id, person]));
  const keyById = new Map(keys.map((key) => [key.id, key]));
  const versionLabel = new Map(versions.map((version) => [version.id, `v${version.version}`]));

  const actorLabelOf = (row: AuditEntry): string => {
    if (row.actorType === "system") {
      // Rows of a job carry its name; older rows and generic system actions say only "system".
      const job = row.actorId && row.actorId !== "system" ? row.actorId : null;
      return job ? `Plumbline (system: ${job})` : "Plumbline (system)";
    }
    if (row.actorType === "api_key") {
      const key = row.actorId ? keyById.get(row.actorId) : undefined;
      return key ? `API key "${key.name}"` : "API key (deleted)";
    }
    const person = row.actorId ? personById.get(row.actorId) : undefined;
    return person ? `${person.name} <${person.email}>` : "User (deleted)";
  };
  const resourceLabelOf = (row: AuditEntry): string | null => {
    if (row.resourceType !== "model_alias") return null;
    const after = (row.after ?? {}) as Record<string, unknown>;
    const before = (row.before ?? {}) as Record<string, unknown>;
    const label = (id: unknown) =>
      typeof id === "string" ? (versionLabel.get(id) ?? "unknown version") : "none";
    const from = label(after.fromVersionId ?? before.versionId);
    const to = label(after.toVersionId);
    const alias = typeof after.alias === "string" ? after.alias : "alias";
    return `${alias}: ${from} → ${to}`;
  };
  return rows.map((row) => ({
    ...row,
    actorLabel: actorLabelOf(row),
    resourceLabel: resourceLabelOf(row),
  }));
}

/**
 * Verifies the project's own chain, from its latest signed checkpoint (or from the first row
 * with `full`), and signs a checkpoint at the verified head. Reads no other project's rows.
 */
export function verifyAuditLog(db: Database, projectId: string, options: { full?: boolean } = {}) {
  return verifyAuditChain(db, projectId, { full: options.full ?? false });
}
