import { expect, test } from "@playwright/test";

import { seedPausedCanary, storedDeployment } from "../support/seed-rollouts";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

/**
 * The rollout page: the live split, the steps, each measurement canary against stable with the
 * condition it was judged by, and the buttons each role may press. Approvers resume (the canary
 * promotes) and abort (it rolls back); an engineer's abort of a promotion not theirs is refused by
 * the server; a viewer sees no button and the server refuses the viewer's abort sent over HTTP.
 */

test("an approver resumes a canary paused on an inconclusive analysis, and it is promoted", async ({
  page,
}) => {
  const { deployment, model } = await seedPausedCanary();
  await signInAs(page, "approver");
  await page.goto("/rollouts");
  await expect(page.getByTestId("rollouts-table")).toBeVisible();
  await page.goto(`/rollouts/${deployment.id}`);

  await expect(page.getByTestId("deployment-state")).toHaveAttribute("data-status", "paused");
  await expect(page.getByTestId("canary-weight")).toHaveAttribute("data-weight", "10");
  await expect(page.locator("[data-testid=rollout-step][data-status=current]")).toContainText(
    "inconclusive: waiting for an approver",
  );
  const measurements = page.getByTestId("analysis-measurement");
  await expect(measurements).toHaveCount(2);
  await expect(measurements.first()).toHaveAttribute("data-phase", "successful");
  await expect(measurements.first()).toContainText("fail if > 0.02");
  await expect(measurements.nth(1)).toContainText("too few samples");

  await expect(page.getByTestId("rollout-promote")).toBeVisible();
  await page.getByTestId("rollout-resume").click();
  await expect(page.getByTestId("deployment-state")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("canary-weight")).toHaveAttribute("data-weight", "100");
  await expect(page.getByTestId("rollout-resume")).toHaveCount(0);
  expect((await storedDeployment(deployment.id))?.state).toBe("succeeded");

  // The model page marks the canary period, linked to its rollout.
  await page.goto(`/models/${model.slug}`);
  const period = page.getByTestId("canary-period");
  await expect(period).toContainText("v2");
  await expect(period.getByTestId("deployment-state")).toHaveAttribute("data-status", "succeeded");
});

test("an approver aborts a canary: weight 0, rolled back, and may retry it", async ({ page }) => {
  const { deployment } = await seedPausedCanary();
  await signInAs(page, "approver");
  await page.goto(`/rollouts/${deployment.id}`);
  await page.getByTestId("rollout-abort").click();
  await page.getByTestId("rollout-abort-reason").fill("Support tickets about v2 answers");
  await page.getByTestId("rollout-abort-confirm").click();
  await expect(page.getByTestId("deployment-state")).toHaveAttribute("data-status", "rolled_back");
  await expect(page.getByTestId("canary-weight")).toHaveAttribute("data-weight", "0");
  await expect(page.getByTestId("rollout-events")).toContainText("Rollback alert fired");
  await expect(page.getByTestId("rollout-retry")).toBeVisible();
  const stored = await storedDeployment(deployment.id);
  expect(stored).toMatchObject({ state: "rolled_back", weight: 0, abortReason: "manual" });
});

test("an engineer sees only Abort, and the server refuses aborting a promotion not theirs", async ({
  page,
}) => {
  const { deployment } = await seedPausedCanary();
  await signInAs(page, "ml_engineer");
  await page.goto(`/rollouts/${deployment.id}`);
  await expect(page.getByTestId("rollout-abort")).toBeVisible();
  await expect(page.getByTestId("rollout-resume")).toHaveCount(0);
  await expect(page.getByTestId("rollout-promote")).toHaveCount(0);
  await page.getByTestId("rollout-abort").click();
  await page.getByTestId("rollout-abort-reason").fill("looks off");
  await page.getByTestId("rollout-abort-confirm").click();
  await expect(page.getByTestId("rollout-action-error")).toContainText("their own promotion");
  expect((await storedDeployment(deployment.id))?.state).toBe("paused");
});

test("a viewer watches without buttons, and the server refuses the viewer's abort over HTTP", async ({
  page,
}) => {
  const { deployment } = await seedPausedCanary();
  await signInAs(page, "viewer");
  await page.goto(`/rollouts/${deployment.id}`);
  await expect(page.getByTestId("traffic-split")).toBeVisible();
  await expect(page.getByTestId("rollout-watch-only")).toBeVisible();
  await expect(page.getByTestId("rollout-abort")).toHaveCount(0);

  for (const procedure of ["abort", "resume", "promoteNow"]) {
    const response = await page.request.post(`/api/trpc/rollouts.${procedure}`, {
      data: {
        json: { projectSlug: e2eState().projectSlug, deploymentId: deployment.id, reason: "x" },
      },
    });
    expect(response.status()).toBe(403);
  }
  expect((await storedDeployment(deployment.id))?.state).toBe("paused");
});
