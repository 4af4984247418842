import { TRPCError } from "@trpc/server";
import { z } from "zod";

import { projectsWithPermission } from "@plumbline/auth/access";
import { changePassword } from "@plumbline/auth/change-password";
import { PERMISSIONS, roleHasPermission, type Permission } from "@plumbline/auth/permissions";

import { createTRPCRouter, protectedProcedure } from "../trpc";

/** A bound on what is sent to argon2; the policy's own limit (256) answers with its message. */
const passwordField = z.string().min(1, "Enter a password.").max(4096);

export const meRouter = createTRPCRouter({
  /** Who is signed in, their role in each project, and what that role allows (for the UI). */
  get: protectedProcedure.query(async ({ ctx }) => {
    const projects = await projectsWithPermission(ctx.db, ctx.access, "dashboard.read");
    return {
      user: ctx.access.user,
      orgRole: ctx.access.orgRole,
      /** True while the account still has its one-time password; the UI sends it to replace it. */
      mustChangePassword: ctx.access.mustChangePassword,
      projects: projects.map((project) => ({
        id: project.id,
        slug: project.slug,
        name: project.name,
        role: project.role,
        permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((permission) =>
          roleHasPermission(project.role, permission),
        ),
      })),
    };
  }),

  /** Replaces the signed-in user's password; a wrong current one or a weak new one is a 400. */
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: passwordField, newPassword: passwordField }))
    .mutation(async ({ ctx, input }) => {
      const result = await changePassword(
        ctx.db,
        { userId: ctx.userId, ...input },
        { requestId: ctx.requestId ?? null, ip: ctx.ip ?? null, sessionId: ctx.sessionId ?? null },
      );
      if (!result.ok) throw new TRPCError({ code: "BAD_REQUEST", message: result.message });
      return { ok: true as const };
    }),
});
