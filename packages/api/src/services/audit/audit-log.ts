import { and, desc, eq, gte, like, lt, lte, type SQL } from "drizzle-orm";

import type { Database, DatabaseOrTransaction } from "@plumbline/db/client";
import { verifyAuditChain } from "@plumbline/db/audit";
import { auditLog } from "@plumbline/db/schema";

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
  return { rows: page, nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null };
}

/** Walks the whole hash chain (it spans every project) and reports the first broken link. */
export function verifyAuditLog(db: Database) {
  return verifyAuditChain(db.$client);
}
