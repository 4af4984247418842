import { expect, test, type Browser, type Page } from "@playwright/test";

import { PROMOTION_CANDIDATE_VERSION } from "../support/seed-governance";
import { signInAs, signInWithEmail, type Role } from "../support/sign-in";
import { e2eState } from "../support/state";

/** A fresh browser context per person, so each one keeps their own session. */
async function pageFor(browser: Browser, who: Role | { email: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (typeof who === "string") await signInAs(page, who);
  else await signInWithEmail(page, who.email);
  return page;
}

async function approve(page: Page, requestId: string, comment: string) {
  await page.goto(`/approvals/${requestId}`);
  await page.getByTestId("approve-button").click();
  await page.getByTestId("decision-submit").click();
  // A comment is required: the form refuses an empty one before the server sees it.
  await expect(page.getByText("Say why in a comment")).toBeVisible();
  await page.getByTestId("decision-comment").fill(comment);
  await page.getByTestId("decision-submit").click();
}

test("a production promotion is requested, approved by two approvers, deployed and audited", async ({
  browser,
}) => {
  // Five people sign in and act in turn: a longer budget than one page's test needs.
  test.setTimeout(180_000);
  const { projectSlug, modelSlug, secondApprover } = e2eState();
  if (!secondApprover) throw new Error("The e2e state has no second approver; rerun the set-up.");
  const version = PROMOTION_CANDIDATE_VERSION;
  // Other specs register models of their own; look at this model's versions only.
  const versionRow = (page: Page, name: string) =>
    page
      .locator(`[data-testid="registry-model"][data-model-slug="${modelSlug}"]`)
      .locator(`[data-testid="registry-version-row"][data-version="${name}"]`);

  // The engineer sees version 1 in production and asks for version 3 through the UI.
  const engineer = await pageFor(browser, "ml_engineer");
  await engineer.goto("/registry");
  await expect(versionRow(engineer, "1").getByTestId("alias-production")).toBeVisible();
  await engineer.goto(`/registry/${modelSlug}/${version}`);
  await engineer.getByTestId("promotion-environment").selectOption("production");
  await engineer
    .getByTestId("promotion-justification")
    .fill("Retrained on Q3 applications: holdout AUC 0.829 vs 0.812.");
  await engineer.getByTestId("promotion-request-submit").click();
  await expect(engineer).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/);
  const requestId = engineer.url().split("/").at(-1)!;
  await expect(engineer.getByTestId("promotion-state")).toHaveAttribute(
    "data-state",
    "awaiting_approval",
  );
  await expect(engineer.getByTestId("approval-count")).toHaveText("0 of 2");
  await expect(engineer.getByTestId("gate-result-row").first()).toBeVisible();
  // The requester never approves their own request.
  await expect(engineer.getByTestId("approve-button")).toHaveCount(0);

  // A viewer reads the evidence but has no buttons, and the server refuses the call anyway.
  const viewer = await pageFor(browser, "viewer");
  await viewer.goto(`/approvals/${requestId}`);
  await expect(viewer.getByTestId("promotion-state")).toBeVisible();
  await expect(viewer.getByTestId("approve-button")).toHaveCount(0);
  await expect(viewer.getByTestId("reject-button")).toHaveCount(0);
  const refused = await viewer.request.post("/api/trpc/promotions.approve", {
    data: { json: { projectSlug, requestId, comment: "looks fine", artifactDigest: "x" } },
  });
  expect(refused.status()).toBe(403);

  // The first approver finds it in the inbox and approves with a comment.
  const approver = await pageFor(browser, "approver");
  await approver.goto("/approvals");
  await expect(approver.getByTestId("approvals-inbox")).toBeVisible();
  await expect(
    approver.locator(`[data-testid="approval-row"][data-request-id="${requestId}"]`),
  ).toContainText("0 of 2");
  await approve(approver, requestId, "Holdout AUC improves and fairness holds by region.");
  await expect(approver.getByTestId("approval-count")).toHaveText("1 of 2");
  await expect(approver.getByTestId("promotion-state")).toHaveAttribute(
    "data-state",
    "awaiting_approval",
  );

  // The second approver completes the quorum.
  const second = await pageFor(browser, { email: secondApprover });
  await approve(second, requestId, "Reviewed the card and the lineage; approve.");
  await expect(second.getByTestId("approval-count")).toHaveText("2 of 2");
  await expect(second.getByTestId("promotion-state")).toHaveAttribute("data-state", "approved");

  // The engineer deploys it from the request page; the production alias moves to version 3.
  await engineer.reload();
  await engineer.getByTestId("deploy-button").click();
  await expect(engineer.getByTestId("promotion-state")).toHaveAttribute("data-state", "promoted");
  // The evidence still compares with what the promotion replaced, recorded at request time, not
  // with what production serves now (the candidate itself).
  await expect(engineer.getByText(`candidate v${version} vs replaced v1`)).toBeVisible();
  await engineer.screenshot({
    path: test.info().outputPath("evidence-after-deploy.png"),
    fullPage: true,
  });
  // The version page links to its promotion requests and shows its aliases beside the details.
  await engineer.goto(`/registry/${modelSlug}/${version}`);
  await expect(
    engineer.locator(`[data-testid="version-promotion-link"][href="/approvals/${requestId}"]`),
  ).toBeVisible();
  await expect(engineer.getByTestId("version-aliases")).toContainText("@production");
  await expect(engineer.getByTestId("model-card-submitted")).not.toContainText("Not recorded");
  await engineer.screenshot({
    path: test.info().outputPath("version-page-after-deploy.png"),
    fullPage: true,
  });
  await engineer.goto("/registry");
  await expect(versionRow(engineer, version).getByTestId("alias-production")).toBeVisible();
  await expect(versionRow(engineer, "1").getByTestId("alias-production")).toHaveCount(0);

  // The audit log shows every step, and its hash chain verifies.
  const admin = await pageFor(browser, "admin");
  await admin.goto("/audit");
  for (const action of [
    "promotion.requested",
    "promotion.approval_recorded",
    "promotion.approved",
    "promotion.promoted",
    "alias.moved",
  ]) {
    await expect(
      admin.locator(`[data-testid="audit-row"][data-action="${action}"]`).first(),
    ).toBeVisible();
  }
  await admin.getByTestId("audit-verify").click();
  await expect(admin.getByTestId("audit-verify-result")).toHaveAttribute("data-ok", "true");
});
