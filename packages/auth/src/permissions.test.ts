import { describe, expect, it } from "vitest";

import {
  PERMISSIONS,
  ROLES,
  roleHasPermission,
  strongerRole,
  type Permission,
} from "./permissions";

describe("permission table", () => {
  // The role matrix of the governance spec, written out independently of the table.
  const expected: Record<Permission, Record<(typeof ROLES)[number], boolean>> = {
    "dashboard.read": { viewer: true, ml_engineer: true, approver: true, admin: true },
    "model.register": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "evaluation.write": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "promotion.request": { viewer: false, ml_engineer: true, approver: true, admin: true },
    // ml_engineer only where the policy allows it: the state machine decides (role_not_eligible).
    "promotion.approve": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "promotion.break_glass": { viewer: false, ml_engineer: false, approver: false, admin: true },
    "promotion.deploy": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "deployment.abort": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "deployment.resume": { viewer: false, ml_engineer: false, approver: true, admin: true },
    "deployment.promote": { viewer: false, ml_engineer: false, approver: true, admin: true },
    "alias.move": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "card.edit": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "reference.write": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "card.approve": { viewer: false, ml_engineer: false, approver: true, admin: true },
    "monitor.write": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "monitor.approve_mute": { viewer: false, ml_engineer: false, approver: true, admin: true },
    "alert.acknowledge": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "retraining.trigger": { viewer: false, ml_engineer: true, approver: true, admin: true },
    "webhook.manage": { viewer: false, ml_engineer: false, approver: true, admin: true },
    "policy.manage": { viewer: false, ml_engineer: false, approver: true, admin: true },
    "member.manage": { viewer: false, ml_engineer: false, approver: false, admin: true },
    "environment.manage": { viewer: false, ml_engineer: false, approver: false, admin: true },
    "apikey.manage": { viewer: false, ml_engineer: false, approver: false, admin: true },
    "audit.read": { viewer: false, ml_engineer: false, approver: true, admin: true },
  };

  it("covers exactly the permissions of the matrix", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [permission, byRole] of Object.entries(expected)) {
    for (const role of ROLES) {
      it(`${role} ${byRole[role] ? "may" : "may not"} ${permission}`, () => {
        expect(roleHasPermission(role, permission as Permission)).toBe(byRole[role]);
      });
    }
  }

  it("grants nothing without a role", () => {
    expect(roleHasPermission(null, "dashboard.read")).toBe(false);
  });

  it("takes the stronger of an org-wide and a project role", () => {
    expect(strongerRole("viewer", "admin")).toBe("admin");
    expect(strongerRole("approver", "ml_engineer")).toBe("approver");
    expect(strongerRole(null, "viewer")).toBe("viewer");
    expect(strongerRole(null, null)).toBeNull();
  });
});
