import { ROLES, RoleSchema, type Role } from "@plumbline/contracts";

/**
 * The project roles of the role matrix (`docs/governance.md`, "Roles"), lowest to highest. Their
 * one source is `@plumbline/contracts`, which the database enum and auth's permission table read.
 */
export { ROLES, type Role };
export const roleSchema = RoleSchema;

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
