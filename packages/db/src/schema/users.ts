// citus: reference
import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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

// citus: reference
/**
 * One signed-in browser session. The session cookie is a signed JWT that carries this row's id;
 * every request checks that the row is still open, so signing out, a password change or an
 * admin ending a session takes effect at once, even against a copy of the cookie or a cookie
 * that an in-flight request refreshed after sign-out.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuidPrimaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    endedAt: timestamp({ withTimezone: true }),
    /** Why the session ended: `signed_out`, `password_changed`. */
    endReason: text(),
  },
  (table) => [index("user_sessions_user_idx").on(table.userId)],
);

export type UserSession = typeof userSessions.$inferSelect;
