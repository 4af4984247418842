import { expect, type Page } from "@playwright/test";

import { e2eState } from "./state";

export type Role = "viewer" | "ml_engineer" | "approver" | "admin";

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer",
  ml_engineer: "ML engineer",
  approver: "Approver",
  admin: "Admin",
};

/** Signs in through the real form, as a person would, and waits for the dashboard. */
export async function signInAs(page: Page, role: Role) {
  await signInWithEmail(page, e2eState().users[role]);
}

/** Signs in a seeded user who is not one of the four role users (for example a second approver). */
export async function signInWithEmail(page: Page, email: string) {
  const state = e2eState();
  await page.goto("/signin");
  await page.getByTestId("signin-email").fill(email);
  await page.getByTestId("signin-password").fill(state.password);
  await page.getByTestId("signin-submit").click();
  await expect(page).toHaveURL(/\/models/);
}

/** A tRPC query over plain HTTP with the page's cookies (superjson wraps input in `json`). */
export function trpcQueryUrl(procedure: string, input: unknown) {
  return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}
