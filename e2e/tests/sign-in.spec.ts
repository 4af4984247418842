import { expect, test } from "@playwright/test";

import { WEB_URL } from "../support/environment";
import { ROLE_LABELS, signInAs, trpcQueryUrl, type Role } from "../support/sign-in";
import { e2eState } from "../support/state";

for (const role of Object.keys(ROLE_LABELS) as Role[]) {
  test(`${role} signs in and sees their role in the user menu`, async ({ page }) => {
    await signInAs(page, role);
    await expect(page.getByTestId("user-role")).toContainText(ROLE_LABELS[role]);
    await expect(page.getByTestId("user-email")).toHaveText(e2eState().users[role], {
      useInnerText: false,
    });
  });
}

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  const state = e2eState();
  for (const [email, password] of [
    [state.users.viewer, "not-the-password"],
    ["nobody@e2e.test", state.password],
  ] as const) {
    await page.goto("/signin");
    await page.getByTestId("signin-email").fill(email);
    await page.getByTestId("signin-password").fill(password);
    await page.getByTestId("signin-submit").click();
    await expect(page.getByTestId("signin-error")).toHaveText("Incorrect email or password.");
    await expect(page).toHaveURL(/\/signin/);
  }
});

test("a signed-out visitor is sent to the sign-in page and back", async ({ page }) => {
  const state = e2eState();
  await page.goto(`/models/${state.modelSlug}`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByTestId("signin-email").fill(state.users.viewer);
  await page.getByTestId("signin-password").fill(state.password);
  await page.getByTestId("signin-submit").click();
  await expect(page).toHaveURL(new RegExp(`/models/${state.modelSlug}`));
});

test("signing out ends the session, even for a copy of the cookie", async ({ page, browser }) => {
  await signInAs(page, "ml_engineer");
  const cookiesBeforeSignOut = await page.context().cookies();
  await page.getByTestId("user-menu").click();
  await page.getByTestId("sign-out").click();
  await expect(page.getByTestId("signin-submit")).toBeVisible();
  await page.goto("/models");
  await expect(page).toHaveURL(/\/signin/);

  // The session ends on the server: a cookie saved (or refreshed by a request in flight) before
  // sign-out no longer opens anything.
  const replay = await browser.newContext({ baseURL: WEB_URL });
  try {
    await replay.addCookies(cookiesBeforeSignOut);
    const replayed = await replay.newPage();
    await replayed.goto("/models");
    await expect(replayed).toHaveURL(/\/signin/);
    const response = await replay.request.get(trpcQueryUrl("me.get", undefined));
    expect(response.status()).toBe(401);
  } finally {
    await replay.close();
  }
});
