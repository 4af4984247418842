import { and, asc, eq, isNotNull, isNull, or } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { roleBindings, users } from "@plumbline/db/schema";
import type { Role } from "@plumbline/auth/permissions";

import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";

/** Everyone with a role in the project, directly or org-wide, by email. */
export async function listMembers(db: DatabaseOrTransaction, projectId: string) {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: roleBindings.role,
      orgWide: isNull(roleBindings.projectId),
      lastSignInAt: users.lastSignInAt,
    })
    .from(roleBindings)
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .where(or(eq(roleBindings.projectId, projectId), isNull(roleBindings.projectId)))
    .orderBy(asc(users.email));
  return rows.map((row) => ({ ...row, orgWide: Boolean(row.orgWide) }));
}

/**
 * Sets a member's role in the project, audited in the same transaction. Nobody changes their
 * own role: an admin demoting or promoting themselves needs a second admin.
 */
export async function setMemberRole(ctx: ServiceContext, input: { userId: string; role: Role }) {
  if (input.userId === userIdOf(ctx.actor)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "own_role",
      "You cannot change your own role; ask another admin.",
    );
  }
  return withRetryingTransaction(ctx.db, async (tx) => {
    const user = await tx.query.users.findFirst({ where: eq(users.id, input.userId) });
    if (!user) throw notFound("such user");
    const previous = await tx.query.roleBindings.findFirst({
      where: and(eq(roleBindings.userId, input.userId), eq(roleBindings.projectId, ctx.projectId)),
    });
    await tx
      .insert(roleBindings)
      .values({ userId: input.userId, projectId: ctx.projectId, role: input.role })
      .onConflictDoUpdate({
        target: [roleBindings.userId, roleBindings.projectId],
        // The unique index is partial (project bindings only), so name its predicate.
        targetWhere: isNotNull(roleBindings.projectId),
        set: { role: input.role },
      });
    await writeAudit(tx, ctx, {
      action: "member.role_set",
      resourceType: "user",
      resourceId: input.userId,
      before: previous ? { role: previous.role } : null,
      after: { role: input.role },
    });
    return { userId: input.userId, role: input.role };
  });
}
