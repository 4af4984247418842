import { createHash, randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";

import { upsertGatePolicy } from "@plumbline/api/services/promotions/gate-policies";
import { createApiKey } from "@plumbline/db/api-keys";
import { createDatabase } from "@plumbline/db/client";
import { createEnvironment } from "@plumbline/db/factories";

import { WEB_URL } from "../support/environment";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

/**
 * Separation of duties through a CI key, over HTTP: a promotion requested with an API key counts
 * as requested by the person who created the key, so that person cannot approve it in the UI's
 * API either. The engineer's CI key registers the version (so its creator is the engineer); the
 * approver's own key requests the promotion; the approver then tries to approve it.
 */
test("the creator of the API key that requested a promotion cannot approve it", async ({
  browser,
  request,
}) => {
  const state = e2eState();
  const { db, sql } = createDatabase(state.databaseUrl);
  const suffix = randomUUID().slice(0, 8);
  const environmentName = `ci-own-${suffix}`;
  let approverToken: string;
  try {
    const project = await db.query.projects.findFirst({
      where: (row, { eq }) => eq(row.slug, state.projectSlug),
    });
    const approver = await db.query.users.findFirst({
      where: (row, { eq }) => eq(row.email, state.users.approver),
    });
    const admin = await db.query.users.findFirst({
      where: (row, { eq }) => eq(row.email, state.users.admin),
    });
    if (!project || !approver || !admin) throw new Error("The e2e set-up is missing people.");
    // No gates and one approval: the request waits for an approver.
    await createEnvironment(db, { projectId: project.id, name: environmentName, kind: "staging" });
    await upsertGatePolicy(
      { db, projectId: project.id, actor: { type: "user", id: admin.id, role: "admin" } },
      { environmentName, policy: { requiredApprovals: 1, rules: [], modelCardRequired: false } },
    );
    ({ token: approverToken } = await createApiKey(
      db,
      {
        projectId: project.id,
        name: `approver's pipeline ${suffix}`,
        scopes: ["promotions:request", "read"],
        mode: "test",
      },
      { type: "user", id: approver.id },
    ));
  } finally {
    await sql.end();
  }

  const version = `ci-own-${suffix}`;
  const artifactDigest = `sha256:${createHash("sha256").update(version).digest("hex")}`;
  const registered = await request.post(`${WEB_URL}/api/v1/models/${state.modelSlug}/versions`, {
    headers: { authorization: `Bearer ${state.ciApiKey}` },
    data: { version, artifactUri: `s3://models/${version}`, artifactDigest },
  });
  expect(registered.status(), await registered.text()).toBe(201);

  const requested = await request.post(
    `${WEB_URL}/api/v1/models/${state.modelSlug}/versions/${version}/promotions`,
    {
      headers: { authorization: `Bearer ${approverToken}` },
      data: { environment: environmentName, justification: "the approver's pipeline asks" },
    },
  );
  expect(requested.status(), await requested.text()).toBe(201);
  const promotion = (await requested.json()) as { id: string; state: string };
  expect(promotion.state).toBe("awaiting_approval");

  const page = await (await browser.newContext()).newPage();
  await signInAs(page, "approver");
  const approve = await page.request.post("/api/trpc/promotions.approve", {
    data: {
      json: {
        projectSlug: state.projectSlug,
        requestId: promotion.id,
        comment: "my own pipeline asked for it",
        artifactDigest,
      },
    },
  });
  expect(approve.status()).toBe(403);
  expect(await approve.text()).toContain("self_approval_requester");
});
