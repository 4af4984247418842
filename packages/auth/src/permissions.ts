import type { Role } from "@plumbline/db/schema";

export type { Role };
export const ROLES: readonly Role[] = ["viewer", "ml_engineer", "approver", "admin"];

/**
 * Every action a person can take, and the roles allowed to take it: the one table both the
 * server (tRPC procedure builders) and the UI (what to show) read. Mirrors the role matrix of
 * the governance spec; finer rules (never approve your own request, quorum) live in the
 * services that need them.
 */
export const PERMISSIONS = {
  "dashboard.read": ["viewer", "ml_engineer", "approver", "admin"],
  "model.register": ["ml_engineer", "approver", "admin"],
  "evaluation.write": ["ml_engineer", "approver", "admin"],
  "promotion.request": ["ml_engineer", "approver", "admin"],
  "promotion.approve": ["approver", "admin"],
  "monitor.write": ["ml_engineer", "approver", "admin"],
  "alert.acknowledge": ["ml_engineer", "approver", "admin"],
  "webhook.manage": ["approver", "admin"],
  "policy.manage": ["approver", "admin"],
  "member.manage": ["admin"],
  "apikey.manage": ["admin"],
  "audit.read": ["approver", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHasPermission(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer",
  ml_engineer: "ML engineer",
  approver: "Approver",
  admin: "Admin",
};

const ROLE_RANK: Record<Role, number> = { viewer: 0, ml_engineer: 1, approver: 2, admin: 3 };

/** The stronger of two roles (an org-wide binding and a project binding both apply). */
export function strongerRole(a: Role | null, b: Role | null): Role | null {
  if (!a) return b;
  if (!b) return a;
  return ROLE_RANK[a] >= ROLE_RANK[b] ? a : b;
}
