import { z } from "zod";

import type { PromotionState } from "./promotion-state-machine";
import type { Role } from "./roles";

/**
 * Protected aliases (spec: "`staging` and `production` are protected aliases. Only an approved
 * promotion moves them (or an admin's audited break-glass with a written reason)").
 */
export const PROTECTED_ALIASES = ["staging", "production"] as const;

export type ProtectedAlias = (typeof PROTECTED_ALIASES)[number];

/** Alias names: lowercase, start with a letter, then letters, digits, `-` or `_`; at most 63. */
export const aliasNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "lowercase letters, digits, - and _, starting with a letter");

export function isProtectedAlias(alias: string): alias is ProtectedAlias {
  return (PROTECTED_ALIASES as readonly string[]).includes(alias);
}

/**
 * Whether an environment of this kind is created protected: staging and production are, so that
 * a production environment named anything (`prod-eu`) needs a promotion to move its alias. Only
 * an admin turns protection off afterwards.
 */
export function protectedByDefault(kind: "development" | "staging" | "production"): boolean {
  return kind !== "development";
}

export interface AliasMoveRequest {
  alias: string;
  /**
   * `promotion`: the deploy step of an approved promotion; `break_glass`: an admin directly, with
   * a reason; `direct`: anyone else pointing an alias by hand.
   */
  via: "promotion" | "break_glass" | "direct";
  actorRole: Role | "api_key" | "system";
  reason?: string;
  /** Required with `via: "promotion"`: the state of the promotion request doing the move. */
  promotionState?: PromotionState;
}

export type AliasMoveDecision =
  | { allowed: true; flagged: boolean }
  | {
      allowed: false;
      code:
        | "invalid_alias_name"
        | "protected_alias"
        | "promotion_not_approved"
        | "break_glass_requires_admin"
        | "break_glass_reason_required"
        | "role_not_allowed";
      message: string;
    };

/**
 * Whether an alias may move (role matrix row "move a protected alias directly": nobody, admin by
 * break-glass only, API keys never). Unprotected aliases move directly for ml_engineer and above,
 * or for a CI key (its `models:register` scope is the API's check). A break-glass move is allowed
 * but `flagged`: the caller audits it with the reason and notifies admins.
 */
export function canMoveAlias(request: AliasMoveRequest): AliasMoveDecision {
  if (!aliasNameSchema.safeParse(request.alias).success) {
    return {
      allowed: false,
      code: "invalid_alias_name",
      message: `"${request.alias}" is not a valid alias name.`,
    };
  }
  switch (request.via) {
    case "promotion":
      if (request.promotionState === "approved" || request.promotionState === "deploying") {
        return { allowed: true, flagged: false };
      }
      return {
        allowed: false,
        code: "promotion_not_approved",
        message: "Only an approved promotion moves an alias through the promotion path.",
      };
    case "break_glass":
      if (request.actorRole !== "admin") {
        return {
          allowed: false,
          code: "break_glass_requires_admin",
          message: "Only an admin may break the glass.",
        };
      }
      if ((request.reason ?? "").trim() === "") {
        return {
          allowed: false,
          code: "break_glass_reason_required",
          message: "Break-glass needs a written reason.",
        };
      }
      return { allowed: true, flagged: true };
    case "direct":
      if (isProtectedAlias(request.alias)) {
        return {
          allowed: false,
          code: "protected_alias",
          message: `${request.alias} is protected: it moves only through an approved promotion or an admin's break-glass.`,
        };
      }
      if (request.actorRole === "viewer" || request.actorRole === "system") {
        return {
          allowed: false,
          code: "role_not_allowed",
          message: `The ${request.actorRole} role may not move aliases.`,
        };
      }
      return { allowed: true, flagged: false };
  }
}
