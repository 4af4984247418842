import { z } from "zod";

/**
 * The project roles, lowest to highest: the one list the database enum, the permission table
 * (`@plumbline/auth`), the governance core and the UI read.
 */
export const ROLES = ["viewer", "ml_engineer", "approver", "admin"] as const;

export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;
