// citus: reference
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

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

// citus: reference (keyed by what is throttled, never by project: sign-in comes before one)
/**
 * Failed sign-ins counted per account (`scope = 'account'`, key = lower-cased email) and per
 * client address (`scope = 'address'`). After a few failures each attempt must wait a growing
 * delay (`blockedUntil`); a success clears the account's row. See docs/sign-in-throttling.md.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    scope: text({ enum: ["account", "address"] }).notNull(),
    key: text().notNull(),
    failures: integer().notNull().default(0),
    lastFailureAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    blockedUntil: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.scope, table.key] })],
);

export type SignInThrottle = typeof signInThrottle.$inferSelect;
