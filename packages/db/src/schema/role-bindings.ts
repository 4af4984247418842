// citus: reference
import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { ROLES, type Role } from "@plumbline/contracts";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export { ROLES, type Role };

export const roleEnum = pgEnum("role", ROLES);

/**
 * A user's role in one project, or in every project when `projectId` is null (org-wide).
 * A user holds at most one binding per project and at most one org-wide binding.
 */
export const roleBindings = pgTable(
  "role_bindings",
  {
    id: uuidPrimaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("role_bindings_user_project_key")
      .on(table.userId, table.projectId)
      .where(sql`${table.projectId} is not null`),
    uniqueIndex("role_bindings_user_org_key")
      .on(table.userId)
      .where(sql`${table.projectId} is null`),
    index("role_bindings_project_idx").on(table.projectId),
  ],
);

export type RoleBinding = typeof roleBindings.$inferSelect;
