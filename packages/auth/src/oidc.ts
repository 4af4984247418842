import { eq, sql } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { appendAudit } from "@plumbline/db/audit";
import { users, type User } from "@plumbline/db/schema";

/** The claims of an OIDC ID token / userinfo answer that sign-in reads. */
export interface OidcProfile {
  sub?: string | null;
  email?: string | null;
  /** Only the boolean `true` counts: a provider that does not vouch for the address says so. */
  email_verified?: unknown;
  name?: string | null;
}

export type OidcRefusal =
  /** The provider sent no subject or no email. */
  | "oidc_missing_claims"
  /** The provider does not say the email is verified, so it cannot name a Plumbline account. */
  | "oidc_email_not_verified"
  /** An account with this email is already linked to another OIDC subject. */
  | "oidc_email_linked_elsewhere"
  /** The account exists and is disabled. */
  | "oidc_account_disabled";

export type OidcResolution =
  | { ok: true; user: User; outcome: "existing" | "linked" | "created" }
  | { ok: false; reason: OidcRefusal };

/** What the sign-in page says for each refusal (the code travels in the URL). */
export const OIDC_REFUSAL_MESSAGES: Record<OidcRefusal, string> = {
  oidc_missing_claims: "The identity provider did not send an email address for this account.",
  oidc_email_not_verified:
    "The identity provider does not confirm that this email address is verified, so it cannot be " +
    "used to sign in. Verify the address with the provider, or ask an admin.",
  oidc_email_linked_elsewhere:
    "This email address belongs to an account linked to another single sign-on identity.",
  oidc_account_disabled: "This account is disabled. Ask an admin if you think it should not be.",
};

/**
 * Decides who an OIDC sign-in is. A known subject is that user. Otherwise the email decides,
 * and only when the provider says `email_verified: true`: anyone can put any address on an
 * identity-provider account, so an unverified address linked to an existing account would hand
 * that account (roles included) to a stranger. A verified address links the subject to the
 * account with that email, or creates an account without roles; either is audited in the same
 * transaction. A refusal creates and changes nothing.
 */
export async function resolveOidcUser(db: Database, profile: OidcProfile): Promise<OidcResolution> {
  const subject = profile.sub?.trim();
  const email = profile.email?.trim();
  if (!subject || !email) return { ok: false, reason: "oidc_missing_claims" };

  const bySubject = await db.query.users.findFirst({ where: eq(users.oidcSubject, subject) });
  if (bySubject) {
    return bySubject.disabledAt
      ? { ok: false, reason: "oidc_account_disabled" }
      : { ok: true, user: bySubject, outcome: "existing" };
  }
  if (profile.email_verified !== true) return { ok: false, reason: "oidc_email_not_verified" };

  return db.transaction(async (tx): Promise<OidcResolution> => {
    const [byEmail] = await tx
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
      .for("update");
    if (byEmail) {
      if (byEmail.oidcSubject !== null) return { ok: false, reason: "oidc_email_linked_elsewhere" };
      if (byEmail.disabledAt) return { ok: false, reason: "oidc_account_disabled" };
      const [linked] = await tx
        .update(users)
        .set({ oidcSubject: subject })
        .where(eq(users.id, byEmail.id))
        .returning();
      await appendAudit(
        tx,
        { type: "user", id: byEmail.id },
        {
          action: "user.oidc_linked",
          resourceType: "user",
          resourceId: byEmail.id,
          after: { oidcSubject: subject, email, emailVerified: true },
        },
      );
      return { ok: true, user: linked!, outcome: "linked" };
    }
    const [created] = await tx
      .insert(users)
      .values({ email, name: profile.name?.trim() || email, oidcSubject: subject })
      .returning();
    await appendAudit(
      tx,
      { type: "user", id: created!.id },
      {
        action: "user.created_via_oidc",
        resourceType: "user",
        resourceId: created!.id,
        after: { oidcSubject: subject, email, emailVerified: true },
      },
    );
    return { ok: true, user: created!, outcome: "created" };
  });
}
