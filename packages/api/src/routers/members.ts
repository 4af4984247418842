import { TRPCError } from "@trpc/server";
import { and, asc, eq, isNotNull, isNull, or } from "drizzle-orm";
import { z } from "zod";

import { appendAudit } from "@plumbline/db/audit";
import { roleBindings, roleEnum, users } from "@plumbline/db/schema";

import { createTRPCRouter, permissionProcedure } from "../trpc";

export const membersRouter = createTRPCRouter({
  /** Everyone with a role in the project, directly or org-wide. Admins only. */
  list: permissionProcedure("member.manage").query(async ({ ctx }) => {
    const rows = await ctx.db
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
      .where(or(eq(roleBindings.projectId, ctx.project.id), isNull(roleBindings.projectId)))
      .orderBy(asc(users.email));
    return rows.map((row) => ({ ...row, orgWide: Boolean(row.orgWide) }));
  }),

  /** Sets a member's role in this project; audited in the same transaction. Admins only. */
  setRole: permissionProcedure("member.manage")
    .input(z.object({ userId: z.uuid(), role: z.enum(roleEnum.enumValues) }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.userId) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "You cannot change your own role; ask another admin.",
        });
      }
      return ctx.db.transaction(async (tx) => {
        const user = await tx.query.users.findFirst({ where: eq(users.id, input.userId) });
        if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user." });
        const previous = await tx.query.roleBindings.findFirst({
          where: and(
            eq(roleBindings.userId, input.userId),
            eq(roleBindings.projectId, ctx.project.id),
          ),
        });
        await tx
          .insert(roleBindings)
          .values({ userId: input.userId, projectId: ctx.project.id, role: input.role })
          .onConflictDoUpdate({
            target: [roleBindings.userId, roleBindings.projectId],
            // The unique index is partial (project bindings only), so name its predicate.
            targetWhere: isNotNull(roleBindings.projectId),
            set: { role: input.role },
          });
        await appendAudit(
          tx,
          { type: "user", id: ctx.userId },
          {
            projectId: ctx.project.id,
            action: "member.role_set",
            resourceType: "user",
            resourceId: input.userId,
            before: previous ? { role: previous.role } : null,
            after: { role: input.role },
            requestId: ctx.requestId ?? null,
            ip: ctx.ip ?? null,
          },
        );
        return { userId: input.userId, role: input.role };
      });
    }),
});
