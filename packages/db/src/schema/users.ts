// citus: reference
import { sql } from "drizzle-orm";
import { boolean, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

import { createdAt, uuidPrimaryKey } from "./columns";

export const users = pgTable(
  "users",
  {
    id: uuidPrimaryKey(),
    email: text().notNull(),
    name: text().notNull(),
    /** argon2id PHC string; null for users who only sign in through OIDC. */
    passwordHash: text(),
    /** The OIDC subject, for users created by the generic OIDC provider. */
    oidcSubject: text(),
    /** A one-time password must be replaced at the next sign-in. */
    mustChangePassword: boolean().notNull().default(false),
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    lastSignInAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("users_email_key").on(sql`lower(${table.email})`),
    uniqueIndex("users_oidc_subject_key").on(table.oidcSubject),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
