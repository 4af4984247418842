import { eq } from "drizzle-orm";

import { appendAudit } from "@plumbline/db/audit";
import type { Database } from "@plumbline/db/client";
import { hashPassword, verifyPassword } from "@plumbline/db/passwords";
import { users } from "@plumbline/db/schema";

import { findPasswordPolicyViolation } from "./password-policy";
import { endOtherSessions } from "./sessions";

export interface ChangePasswordInput {
  userId: string;
  currentPassword: string;
  newPassword: string;
}

/** Where the request came from, recorded on the audit row. */
export interface ChangePasswordRequestContext {
  requestId?: string | null;
  ip?: string | null;
  /** The session making the change stays open; every other session of the user ends. */
  sessionId?: string | null;
}

export type ChangePasswordResult =
  { ok: true } | { ok: false; reason: "wrong_current_password" | "weak_password"; message: string };

const WRONG_CURRENT_PASSWORD = {
  ok: false,
  reason: "wrong_current_password",
  message: "The current password is not correct.",
} as const satisfies ChangePasswordResult;

/**
 * Replaces a user's password after checking the current one and the password policy, clears
 * `mustChangePassword`, and records `user.password_changed` in the same transaction. Neither
 * password nor hash reaches the audit log.
 *
 * The slow argon2 work happens before the transaction; inside it the row is locked and the
 * stored hash must still be the one that was verified, so two concurrent changes cannot both
 * succeed on the strength of the same old password.
 */
export async function changePassword(
  db: Database,
  input: ChangePasswordInput,
  requestContext: ChangePasswordRequestContext = {},
): Promise<ChangePasswordResult> {
  const user = await db.query.users.findFirst({
    where: eq(users.id, input.userId),
    columns: { id: true, email: true, passwordHash: true, mustChangePassword: true },
  });
  if (!user) throw new Error(`changePassword: no user ${input.userId}.`);
  if (!user.passwordHash) {
    // An OIDC-only account has no password here to replace.
    return {
      ...WRONG_CURRENT_PASSWORD,
      message: "This account signs in through single sign-on and has no password to change.",
    };
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return WRONG_CURRENT_PASSWORD;
  }
  const violation = findPasswordPolicyViolation(input.newPassword, {
    email: user.email,
    currentPassword: input.currentPassword,
  });
  if (violation) return { ok: false, reason: "weak_password", message: violation };

  const newHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, user.id))
      .for("update");
    if (locked?.passwordHash !== user.passwordHash) return WRONG_CURRENT_PASSWORD;
    await tx
      .update(users)
      .set({ passwordHash: newHash, mustChangePassword: false })
      .where(eq(users.id, user.id));
    const endedSessions = await endOtherSessions(
      tx,
      user.id,
      requestContext.sessionId ?? null,
      "password_changed",
    );
    await appendAudit(
      tx,
      { type: "user", id: user.id },
      {
        action: "user.password_changed",
        resourceType: "user",
        resourceId: user.id,
        before: { mustChangePassword: user.mustChangePassword },
        after: { mustChangePassword: false, endedSessions },
        requestId: requestContext.requestId ?? null,
        ip: requestContext.ip ?? null,
      },
    );
    return { ok: true } as const;
  });
}
