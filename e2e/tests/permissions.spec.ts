import { expect, test } from "@playwright/test";

import { INGEST_URL } from "../support/environment";
import { signInAs, trpcQueryUrl } from "../support/sign-in";
import { e2eState } from "../support/state";

test.describe("the server refuses what a role may not do", () => {
  test("a signed-out call to the API is unauthorized", async ({ request }) => {
    const response = await request.get(trpcQueryUrl("me.get", undefined));
    expect(response.status()).toBe(401);
  });

  test("a viewer calling an admin-only procedure over HTTP gets FORBIDDEN", async ({ page }) => {
    const { projectSlug } = e2eState();
    await signInAs(page, "viewer");
    const list = await page.request.get(trpcQueryUrl("members.list", { projectSlug }));
    expect(list.status()).toBe(403);
    const body = (await list.json()) as { error: { json: { data: { code: string } } } };
    expect(body.error.json.data.code).toBe("FORBIDDEN");

    const me = await page.request.get(trpcQueryUrl("me.get", undefined));
    const viewerId = ((await me.json()) as { result: { data: { json: { user: { id: string } } } } })
      .result.data.json.user.id;
    const promote = await page.request.post("/api/trpc/members.setRole", {
      data: { json: { projectSlug, userId: viewerId, role: "admin" } },
    });
    expect(promote.status()).toBe(403);
  });

  test("an admin may call the same procedure", async ({ page }) => {
    const { projectSlug, users, oneTimePasswordUser, secondApprover } = e2eState();
    await signInAs(page, "admin");
    const list = await page.request.get(trpcQueryUrl("members.list", { projectSlug }));
    expect(list.status()).toBe(200);
    const body = (await list.json()) as { result: { data: { json: { email: string }[] } } };
    expect(body.result.data.json.map((member) => member.email).sort()).toEqual(
      [
        ...Object.values(users),
        ...(oneTimePasswordUser ? [oneTimePasswordUser.email] : []),
        ...(secondApprover ? [secondApprover] : []),
      ].sort(),
    );
  });

  test("ingest refuses a missing or invalid API key", async ({ request }) => {
    const body = { records: [] };
    const missing = await request.post(`${INGEST_URL}/v1/predictions`, { data: body });
    expect(missing.status()).toBe(401);
    const invalid = await request.post(`${INGEST_URL}/v1/predictions`, {
      data: body,
      headers: { authorization: "Bearer pl_live_aaaaaaaaaaaa_" + "x".repeat(43) },
    });
    expect(invalid.status()).toBe(401);
  });
});
