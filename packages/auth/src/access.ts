import { and, eq, isNull } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { projects, roleBindings, users, type Project, type User } from "@plumbline/db/schema";

import { roleHasPermission, strongerRole, type Permission, type Role } from "./permissions";

/**
 * What one user may do, read from the database on every request, so that a role change takes
 * effect at the next request without signing in again.
 */
export interface UserAccess {
  user: Pick<User, "id" | "email" | "name">;
  /** The account still has a one-time password that must be replaced before anything else. */
  mustChangePassword: boolean;
  orgRole: Role | null;
  projectRoles: Map<string, Role>;
}

export async function loadUserAccess(db: Database, userId: string): Promise<UserAccess | null> {
  const user = await db.query.users.findFirst({
    where: and(eq(users.id, userId), isNull(users.disabledAt)),
    columns: { id: true, email: true, name: true, mustChangePassword: true },
  });
  if (!user) return null;
  const bindings = await db
    .select({ projectId: roleBindings.projectId, role: roleBindings.role })
    .from(roleBindings)
    .where(eq(roleBindings.userId, userId));
  let orgRole: Role | null = null;
  const projectRoles = new Map<string, Role>();
  for (const binding of bindings) {
    if (binding.projectId === null) orgRole = binding.role;
    else projectRoles.set(binding.projectId, binding.role);
  }
  const { mustChangePassword, ...identity } = user;
  return { user: identity, mustChangePassword, orgRole, projectRoles };
}

/** The user's role in a project: the stronger of the org-wide and the project binding. */
export function roleInProject(access: UserAccess, projectId: string): Role | null {
  return strongerRole(access.orgRole, access.projectRoles.get(projectId) ?? null);
}

export function canInProject(access: UserAccess, projectId: string, permission: Permission) {
  return roleHasPermission(roleInProject(access, projectId), permission);
}

/** Projects in which the user holds a permission, with the role that grants it. */
export async function projectsWithPermission(
  db: Database,
  access: UserAccess,
  permission: Permission,
): Promise<(Project & { role: Role })[]> {
  const all = await db.select().from(projects).orderBy(projects.name);
  return all.flatMap((project) => {
    const role = roleInProject(access, project.id);
    return role && roleHasPermission(role, permission) ? [{ ...project, role }] : [];
  });
}
