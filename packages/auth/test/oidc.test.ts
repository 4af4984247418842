import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyAuditChain } from "@plumbline/db/audit";
import { createUser } from "@plumbline/db/factories";
import { auditLog, users } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { resolveOidcUser } from "../src/oidc";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const auditOf = (userId: string) =>
  database.db.select().from(auditLog).where(eq(auditLog.resourceId, userId));
const reload = async (userId: string) =>
  (await database.db.query.users.findFirst({ where: eq(users.id, userId) }))!;

describe("resolveOidcUser", () => {
  it("refuses to link an existing account by an unverified email, and changes nothing", async () => {
    const victim = await createUser(database.db, { email: "Victim@Example.test" });
    for (const emailVerified of [undefined, false, "true", 1, null]) {
      const result = await resolveOidcUser(database.db, {
        sub: "attacker-subject",
        email: "victim@example.test",
        email_verified: emailVerified,
      });
      expect(result).toEqual({ ok: false, reason: "oidc_email_not_verified" });
    }
    expect((await reload(victim.id)).oidcSubject).toBeNull();
    expect(await auditOf(victim.id)).toHaveLength(0);
    const created = await database.db.query.users.findFirst({
      where: eq(users.oidcSubject, "attacker-subject"),
    });
    expect(created).toBeUndefined();
  });

  it("links an existing account by a verified email and audits the linking", async () => {
    const person = await createUser(database.db, { email: "person@example.test" });
    const result = await resolveOidcUser(database.db, {
      sub: "person-subject",
      email: "PERSON@example.test",
      email_verified: true,
    });
    expect(result).toMatchObject({ ok: true, outcome: "linked", user: { id: person.id } });
    expect((await reload(person.id)).oidcSubject).toBe("person-subject");
    const rows = await auditOf(person.id);
    expect(rows).toMatchObject([
      {
        action: "user.oidc_linked",
        actorType: "user",
        actorId: person.id,
        after: { oidcSubject: "person-subject", emailVerified: true },
      },
    ]);
    expect(await verifyAuditChain(database.db, null)).toMatchObject({ ok: true });
    // Later sign-ins are by subject, whatever the email claims say.
    const again = await resolveOidcUser(database.db, { sub: "person-subject", email: "x@y.test" });
    expect(again).toMatchObject({ ok: true, outcome: "existing", user: { id: person.id } });
  });

  it("creates a role-less account only for a verified email, audited", async () => {
    expect(
      await resolveOidcUser(database.db, { sub: "new-subject", email: "new@example.test" }),
    ).toEqual({ ok: false, reason: "oidc_email_not_verified" });
    const result = await resolveOidcUser(database.db, {
      sub: "new-subject",
      email: "new@example.test",
      email_verified: true,
      name: "New Person",
    });
    expect(result).toMatchObject({ ok: true, outcome: "created", user: { name: "New Person" } });
    if (!result.ok) throw new Error("unreachable");
    expect(await auditOf(result.user.id)).toMatchObject([{ action: "user.created_via_oidc" }]);
  });

  it("refuses an email linked to another subject, a disabled account and missing claims", async () => {
    await createUser(database.db, { email: "linked@example.test" });
    await resolveOidcUser(database.db, {
      sub: "first-subject",
      email: "linked@example.test",
      email_verified: true,
    });
    expect(
      await resolveOidcUser(database.db, {
        sub: "second-subject",
        email: "linked@example.test",
        email_verified: true,
      }),
    ).toEqual({ ok: false, reason: "oidc_email_linked_elsewhere" });
    const disabled = await createUser(database.db, { email: "gone@example.test" });
    await database.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.id, disabled.id));
    expect(
      await resolveOidcUser(database.db, {
        sub: "gone-subject",
        email: "gone@example.test",
        email_verified: true,
      }),
    ).toEqual({ ok: false, reason: "oidc_account_disabled" });
    expect((await reload(disabled.id)).oidcSubject).toBeNull();
    expect(await resolveOidcUser(database.db, { sub: "s", email_verified: true })).toEqual({
      ok: false,
      reason: "oidc_missing_claims",
    });
  });
});
