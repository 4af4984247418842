import { describe, expect, it } from "vitest";

import type { AliasMoveRequest } from "./alias";
import { aliasNameSchema, canMoveAlias, isProtectedAlias, PROTECTED_ALIASES } from "./alias";

function decide(request: AliasMoveRequest) {
  return canMoveAlias(request);
}

describe("protected aliases", () => {
  it("are staging and production", () => {
    expect(PROTECTED_ALIASES).toEqual(["staging", "production"]);
    expect(isProtectedAlias("production")).toBe(true);
    expect(isProtectedAlias("challenger")).toBe(false);
  });

  it.each(["viewer", "ml_engineer", "approver", "admin", "api_key", "system"] as const)(
    "never move directly, not even for %s",
    (actorRole) => {
      for (const alias of PROTECTED_ALIASES) {
        expect(decide({ alias, via: "direct", actorRole })).toMatchObject({
          allowed: false,
          code: "protected_alias",
        });
      }
    },
  );

  it("move through an approved or deploying promotion only", () => {
    expect(
      decide({
        alias: "production",
        via: "promotion",
        actorRole: "system",
        promotionState: "deploying",
      }),
    ).toEqual({
      allowed: true,
      flagged: false,
    });
    expect(
      decide({
        alias: "production",
        via: "promotion",
        actorRole: "system",
        promotionState: "approved",
      }).allowed,
    ).toBe(true);
    for (const promotionState of ["awaiting_approval", "rejected", "stale", undefined] as const) {
      expect(
        decide({ alias: "production", via: "promotion", actorRole: "system", promotionState }),
      ).toMatchObject({
        allowed: false,
        code: "promotion_not_approved",
      });
    }
  });

  it("move by break-glass for an admin with a reason, flagged", () => {
    expect(
      decide({ alias: "production", via: "break_glass", actorRole: "admin", reason: "incident 7" }),
    ).toEqual({
      allowed: true,
      flagged: true,
    });
    expect(
      decide({ alias: "production", via: "break_glass", actorRole: "admin", reason: "  " }),
    ).toMatchObject({
      code: "break_glass_reason_required",
    });
    expect(decide({ alias: "production", via: "break_glass", actorRole: "admin" })).toMatchObject({
      code: "break_glass_reason_required",
    });
    for (const actorRole of ["approver", "ml_engineer", "viewer", "api_key", "system"] as const) {
      expect(
        decide({ alias: "staging", via: "break_glass", actorRole, reason: "x" }),
      ).toMatchObject({
        code: "break_glass_requires_admin",
      });
    }
  });
});

describe("unprotected aliases", () => {
  it("move directly for ml_engineer and above and for CI keys, not for viewers", () => {
    for (const actorRole of ["ml_engineer", "approver", "admin", "api_key"] as const) {
      expect(decide({ alias: "challenger", via: "direct", actorRole })).toEqual({
        allowed: true,
        flagged: false,
      });
    }
    expect(decide({ alias: "challenger", via: "direct", actorRole: "viewer" })).toMatchObject({
      code: "role_not_allowed",
    });
  });

  it("must be well-formed names", () => {
    expect(decide({ alias: "Prod Uction", via: "direct", actorRole: "admin" })).toMatchObject({
      code: "invalid_alias_name",
    });
    expect(aliasNameSchema.safeParse("champion-2").success).toBe(true);
    expect(aliasNameSchema.safeParse("2fast").success).toBe(false);
  });
});
