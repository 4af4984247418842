import { ROLES, type Role } from "@plumbline/contracts";

export { ROLES, type Role };

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
  /**
   * Approve or reject. ml_engineer passes this check so that a staging policy with
   * `allowMlEngineerApproval` can let them decide; the state machine refuses them everywhere else
   * (`role_not_eligible`), and refuses everyone their own request or version.
   */
  "promotion.approve": ["ml_engineer", "approver", "admin"],
  /** An admin approves alone with a written reason; audited as `promotion.break_glass`. */
  "promotion.break_glass": ["admin"],
  /** Start and finish the deployment of an approved promotion (moves the environment's alias). */
  "promotion.deploy": ["ml_engineer", "approver", "admin"],
  /** Abort a deployment / roll back; an ml_engineer only their own (checked by the service). */
  "deployment.abort": ["ml_engineer", "approver", "admin"],
  /** Resume a paused canary (an inconclusive analysis waits for this), or retry a rolled back one. */
  "deployment.resume": ["approver", "admin"],
  /** Skip the remaining canary steps and promote at once (the alias moves). */
  "deployment.promote": ["approver", "admin"],
  /** Point an unprotected alias; protected aliases additionally need admin break-glass. */
  "alias.move": ["ml_engineer", "approver", "admin"],
  "card.edit": ["ml_engineer", "approver", "admin"],
  /** Create a version's drift reference from a production window or an uploaded file. */
  "reference.write": ["ml_engineer", "approver", "admin"],
  "card.approve": ["approver", "admin"],
  "monitor.write": ["ml_engineer", "approver", "admin"],
  /** Approve muting a critical monitor for longer than 24 h. */
  "monitor.approve_mute": ["approver", "admin"],
  /** Acknowledge, assign, comment on, snooze and resolve alerts. */
  "alert.acknowledge": ["ml_engineer", "approver", "admin"],
  /** Send a model's retraining request by hand from an alert, and edit its retraining policy. */
  "retraining.trigger": ["ml_engineer", "approver", "admin"],
  "webhook.manage": ["approver", "admin"],
  "policy.manage": ["approver", "admin"],
  "member.manage": ["admin"],
  "environment.manage": ["admin"],
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
