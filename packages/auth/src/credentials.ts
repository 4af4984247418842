import { eq, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { getDecoyPasswordHash, verifyPassword } from "@plumbline/db/passwords";
import { users } from "@plumbline/db/schema";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/**
 * Checks an email and password. Returns null for every failure (unknown email, wrong
 * password, disabled account, OIDC-only account), and verifies against a decoy hash when the
 * user does not exist, so neither the answer nor its timing tells whether the email is known.
 */
export async function verifyCredentials(
  db: Database,
  email: string,
  password: string,
): Promise<SignedInUser | null> {
  const user = await db.query.users.findFirst({
    where: eq(sql`lower(${users.email})`, email.trim().toLowerCase()),
  });
  const hash = user?.passwordHash ?? (await getDecoyPasswordHash());
  const passwordMatches = await verifyPassword(hash, password);
  if (!user || !user.passwordHash || !passwordMatches || user.disabledAt) return null;
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name };
}
