import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { users } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createGovernanceFixture, type GovernanceFixture, type Member } from "./governance-fixture";

let database: TestDatabase;
let f: GovernanceFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
});
afterAll(async () => {
  await database.drop();
});

async function nameOf(member: Member) {
  const [user] = await f.db.select().from(users).where(eq(users.id, member.id));
  return user!.name;
}

/** A fresh candidate version and the router input that names it. */
async function freshVersion() {
  const version = await f.candidate();
  return { projectSlug: f.project.slug, modelSlug: f.model.slug, version: version.version };
}

async function expectConflict(promise: Promise<unknown>, reason: string) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) =>
      error instanceof TRPCError &&
      error.code === "CONFLICT" &&
      (error.cause as { reason?: string } | undefined)?.reason === reason,
  );
}

describe("model cards", () => {
  it("names who edited, submitted and approved the card", async () => {
    const ref = await freshVersion();
    expect(await f.caller(f.viewer).modelCards.get(ref)).toBeNull();
    await f.caller(f.engineer).modelCards.edit({
      ...ref,
      content: { modelDetails: { name: "Credit risk" } },
      expectedRevision: 0,
    });
    const draft = await f.caller(f.viewer).modelCards.get(ref);
    expect(draft).toMatchObject({
      status: "draft",
      revision: 1,
      updatedByName: await nameOf(f.engineer),
      submittedByName: null,
      approvedByName: null,
      approvedAt: null,
    });

    await f.caller(f.engineer2).modelCards.submit({ ...ref, expectedRevision: 1 });
    await f.caller(f.approver).modelCards.approve({ ...ref, expectedRevision: 1 });
    const approved = await f.caller(f.viewer).modelCards.get(ref);
    expect(approved).toMatchObject({
      status: "approved",
      revision: 1,
      updatedByName: await nameOf(f.engineer),
      submittedByName: await nameOf(f.engineer2),
      approvedByName: await nameOf(f.approver),
    });
    expect(approved!.approvedAt).toBeInstanceOf(Date);
  });

  it("refuses an edit based on a revision someone else has replaced", async () => {
    const ref = await freshVersion();
    const engineer = f.caller(f.engineer);
    await engineer.modelCards.edit({ ...ref, content: {}, expectedRevision: 0 });
    // Someone else saw no card either, and would create it over the first one.
    await expectConflict(
      f.caller(f.engineer2).modelCards.edit({
        ...ref,
        content: { modelDetails: { name: "Theirs" } },
        expectedRevision: 0,
      }),
      "card_revision_conflict",
    );
    await engineer.modelCards.edit({
      ...ref,
      content: { modelDetails: { name: "Second" } },
      expectedRevision: 1,
    });
    await expectConflict(
      f.caller(f.engineer2).modelCards.edit({
        ...ref,
        content: { modelDetails: { name: "Stale" } },
        expectedRevision: 1,
      }),
      "card_revision_conflict",
    );
    const stored = await f.caller(f.viewer).modelCards.get(ref);
    expect(stored).toMatchObject({ revision: 2, content: { modelDetails: { name: "Second" } } });
    // Without an expected revision the write is unconditional, as before.
    const last = await f
      .caller(f.engineer2)
      .modelCards.edit({ ...ref, content: { modelDetails: { name: "Last" } } });
    expect(last.revision).toBe(3);
  });

  it("refuses to approve content the approver did not review", async () => {
    const ref = await freshVersion();
    const engineer = f.caller(f.engineer);
    await engineer.modelCards.edit({ ...ref, content: { modelDetails: { name: "Reviewed" } } });
    await engineer.modelCards.submit({ ...ref, expectedRevision: 1 });
    // The approver opened revision 1; the engineer changes the card and submits it again.
    await engineer.modelCards.edit({ ...ref, content: { modelDetails: { name: "Swapped" } } });
    await engineer.modelCards.submit({ ...ref, expectedRevision: 2 });
    await expectConflict(
      f.caller(f.approver).modelCards.approve({ ...ref, expectedRevision: 1 }),
      "card_revision_conflict",
    );
    const card = await f.caller(f.approver).modelCards.approve({ ...ref, expectedRevision: 2 });
    expect(card.status).toBe("approved");
  });

  it("names the invalid field and refuses a transition out of order", async () => {
    const ref = await freshVersion();
    await expect(
      f.caller(f.engineer).modelCards.edit({
        ...ref,
        content: { modelDetails: { owners: [{ name: "" }] } },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: /modelDetails\.owners\[0\]\.name/ });
    await f.caller(f.engineer).modelCards.edit({ ...ref, content: {} });
    await expectConflict(f.caller(f.approver).modelCards.approve(ref), "invalid_card_transition");
  });
});
