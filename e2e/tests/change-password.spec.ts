import { expect, test, type Page } from "@playwright/test";

import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

function oneTimePasswordUser() {
  const user = e2eState().oneTimePasswordUser;
  if (!user) throw new Error("The e2e state has no one-time password user; rerun the set-up.");
  return user;
}

async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByTestId("signin-email").fill(email);
  await page.getByTestId("signin-password").fill(password);
  await page.getByTestId("signin-submit").click();
}

async function submitChange(page: Page, current: string, next: string, confirmation = next) {
  await page.getByTestId("password-current").fill(current);
  await page.getByTestId("password-new").fill(next);
  await page.getByTestId("password-confirm").fill(confirmation);
  await page.getByTestId("password-submit").click();
}

test("a one-time password must be replaced, and only the new one signs in afterwards", async ({
  page,
}, testInfo) => {
  const { email, password: oneTimePassword } = oneTimePasswordUser();
  const newPassword = "a far better e2e passphrase";

  await submitSignIn(page, email, oneTimePassword);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByTestId("password-required-notice")).toContainText(
    "You signed in with a one-time password",
  );
  await expect(page.getByTestId("password-current")).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath("forced-password-change.png") });

  // Every dashboard page sends the account back here until the password is replaced.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/account\/password$/);

  await submitChange(page, oneTimePassword, newPassword, "something else entirely");
  await expect(page.getByTestId("password-error")).toHaveText(
    "The new password and its confirmation do not match.",
  );
  await expect(page.getByTestId("password-confirm")).toBeFocused();

  await submitChange(page, "not the one-time password", newPassword);
  await expect(page.getByTestId("password-error")).toHaveText(
    "The current password is not correct.",
  );

  await submitChange(page, oneTimePassword, "too short");
  await expect(page.getByTestId("password-error")).toContainText("at least 12 characters");
  await page.screenshot({ path: testInfo.outputPath("change-password-error.png") });

  await submitChange(page, oneTimePassword, newPassword);
  await expect(page.getByTestId("password-success")).toContainText(
    "Your password has been changed",
  );
  await expect(page.getByTestId("password-required-notice")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("change-password-success.png") });
  await page.getByTestId("password-continue").click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByTestId("user-email")).toHaveText(email, { useInnerText: false });

  await page.getByTestId("user-menu").click();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/signin/);

  await submitSignIn(page, email, oneTimePassword);
  await expect(page.getByTestId("signin-error")).toHaveText("Incorrect email or password.");

  await submitSignIn(page, email, newPassword);
  await expect(page).toHaveURL(/\/models$/);
});

test("the user menu leads to the page, without the one-time notice", async ({ page }, testInfo) => {
  await signInAs(page, "ml_engineer");
  await page.getByTestId("user-menu").click();
  await page.getByTestId("change-password-link").click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  await expect(page.getByTestId("password-required-notice")).toHaveCount(0);
  await expect(page.getByTestId("password-current")).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath("change-password.png") });
  // The shared e2e password stays as it is: other tests sign in with it.
});

test("the page and the procedure are for signed-in users only", async ({ page, request }) => {
  await page.goto("/account/password");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount%2Fpassword$/);

  const response = await request.post("/api/trpc/me.changePassword", {
    data: { json: { currentPassword: "anything", newPassword: "anything at all 123" } },
  });
  expect(response.status()).toBe(401);
});
