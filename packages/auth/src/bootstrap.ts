import { randomBytes } from "node:crypto";

import { count, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { createUser, grantRole } from "@plumbline/db/factories";
import { users } from "@plumbline/db/schema";

import { readAuthEnv, type AuthEnv } from "./env";

export type FirstAdminResult =
  { created: false } | { created: true; email: string; oneTimePassword: string | null };

/**
 * On a database with no users, creates the first administrator (org-wide admin): from
 * PLUMBLINE_ADMIN_EMAIL / PLUMBLINE_ADMIN_PASSWORD when set, else `admin@localhost` with a
 * random one-time password that the caller prints once. Never a built-in password.
 */
export async function ensureFirstAdmin(
  db: Database,
  env: AuthEnv = readAuthEnv(),
): Promise<FirstAdminResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('plumbline.first-admin'))`);
    const [row] = await tx.select({ n: count() }).from(users);
    if ((row?.n ?? 0) > 0) return { created: false as const };
    const email = env.PLUMBLINE_ADMIN_EMAIL ?? "admin@localhost";
    const oneTimePassword = env.PLUMBLINE_ADMIN_PASSWORD
      ? null
      : randomBytes(12).toString("base64url");
    const user = await createUser(tx, {
      email,
      name: "Administrator",
      password: env.PLUMBLINE_ADMIN_PASSWORD ?? oneTimePassword,
      mustChangePassword: oneTimePassword !== null,
    });
    await grantRole(tx, { userId: user.id, projectId: null, role: "admin" });
    return { created: true as const, email, oneTimePassword };
  });
}
