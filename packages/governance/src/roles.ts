import { z } from "zod";

/**
 * The project roles of the governance spec's role matrix (`docs/governance.md`, "Roles"),
 * lowest to highest. The same literal strings as `@plumbline/auth`'s permission table; this
 * package sits below auth, so auth may import these, never the other way round.
 */
export const ROLES = ["viewer", "ml_engineer", "approver", "admin"] as const;

export const roleSchema = z.enum(ROLES);

export type Role = z.infer<typeof roleSchema>;

/**
 * Who performs a governance action. `user` carries the role bound to the user in the project
 * (an org-wide binding already resolved by the caller); `api_key` and `system` carry none, since
 * the spec's matrix never lets an API key approve, reject or move a protected alias, and the
 * system acts only on transitions the state machine allows it (gates finished, expiry).
 */
export type Actor =
  | { type: "user"; id: string; role: Role }
  | { type: "api_key"; id: string }
  | { type: "system"; id: "system" };

export const SYSTEM_ACTOR: Actor = { type: "system", id: "system" };
