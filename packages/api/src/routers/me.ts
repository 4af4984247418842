import { projectsWithPermission } from "@plumbline/auth/access";
import { PERMISSIONS, roleHasPermission, type Permission } from "@plumbline/auth/permissions";

import { createTRPCRouter, protectedProcedure } from "../trpc";

export const meRouter = createTRPCRouter({
  /** Who is signed in, their role in each project, and what that role allows (for the UI). */
  get: protectedProcedure.query(async ({ ctx }) => {
    const projects = await projectsWithPermission(ctx.db, ctx.access, "dashboard.read");
    return {
      user: ctx.access.user,
      orgRole: ctx.access.orgRole,
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
});
