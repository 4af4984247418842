import type { Actor } from "@plumbline/governance";
import type { Database, DatabaseOrTransaction } from "@plumbline/db/client";
import { appendAudit, type AuditActor, type AuditEntryInput } from "@plumbline/db/audit";

/**
 * What every governance service needs: the database, the project the call is about, who acts
 * (a user with their role in that project, an API key, or the system) and where the call came
 * from. tRPC builds it from the session; the REST API and the CLI will build it from an API key.
 */
export interface ServiceContext {
  db: Database;
  projectId: string;
  actor: Actor;
  requestId?: string | null;
  ip?: string | null;
  /** For the system actor: the job acting (`expire-promotions`), shown in the audit log. */
  job?: string;
  /** The clock; tests pass a fixed one to reach expiry. */
  now?: () => Date;
}

export function currentTime(ctx: Pick<ServiceContext, "now">): Date {
  return ctx.now ? ctx.now() : new Date();
}

export function auditActorOf(actor: Actor, job?: string): AuditActor {
  return actor.type === "system"
    ? { type: "system", id: job ?? "system" }
    : { type: actor.type, id: actor.id };
}

/** The user id behind an actor, for `created_by` style columns (null for keys and the system). */
export function userIdOf(actor: Actor): string | null {
  return actor.type === "user" ? actor.id : null;
}

/** One audit row for `ctx`'s project, carrying the call's request id and IP. */
export async function writeAudit(
  tx: DatabaseOrTransaction,
  ctx: ServiceContext,
  entry: Omit<AuditEntryInput, "projectId" | "requestId" | "ip">,
  actor: Actor = ctx.actor,
): Promise<void> {
  await appendAudit(tx, auditActorOf(actor, ctx.job), {
    ...entry,
    projectId: ctx.projectId,
    requestId: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
  });
}
