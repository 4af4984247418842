import { expect, test } from "@playwright/test";

import { createDatabase } from "@plumbline/db/client";

import { seedDriftAlert } from "../support/seed-alerts";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

/**
 * The alerts inbox for people: a drift alert appears in the inbox and on the navigation count,
 * an engineer acknowledges, comments on and resolves it; a viewer sees it without any action,
 * and the server refuses the viewer's acknowledge sent over HTTP.
 */

async function storedState(alertId: string) {
  const { db, sql } = createDatabase(e2eState().databaseUrl);
  try {
    const row = await db.query.alerts.findFirst({
      where: (alert, { eq }) => eq(alert.id, alertId),
    });
    return row?.state;
  } finally {
    await sql.end();
  }
}

test("an engineer acknowledges, comments on and resolves a drift alert from the inbox", async ({
  page,
}) => {
  const { alert, model } = await seedDriftAlert();
  await signInAs(page, "ml_engineer");
  await expect(page.getByTestId("alerts-nav-count")).toBeVisible();

  await page.goto(`/alerts?model=${model.slug}`);
  const row = page.locator(`[data-testid=alert-row][data-alert-id="${alert.id}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("severity-badge")).toHaveAttribute("data-status", "critical");
  await expect(row).toContainText("income");
  await expect(row).toContainText("Income drift");
  await row.getByTestId("alert-link").click();

  const detail = page.getByTestId("alert-detail");
  await expect(detail).toHaveAttribute("data-state", "firing");
  await expect(page.getByTestId("drifting-feature").first()).toContainText("income");
  await expect(page.getByTestId("alert-window-link")).toHaveAttribute(
    "href",
    new RegExp(`/models/${model.slug}\\?range=custom&from=`),
  );

  await page.getByTestId("alert-acknowledge").click();
  await expect(detail).toHaveAttribute("data-state", "acknowledged");

  await page.getByTestId("alert-comment-body").fill("Income pipeline changed units; fixing.");
  await page.getByTestId("alert-comment-submit").click();
  await expect(page.getByTestId("timeline-comment")).toHaveText(
    "Income pipeline changed units; fixing.",
  );

  await page.getByTestId("alert-resolve").click();
  await expect(detail).toHaveAttribute("data-state", "resolved");
  await expect(
    page
      .locator("[data-testid=timeline-entry]")
      .evaluateAll((entries) => entries.map((entry) => entry.getAttribute("data-kind"))),
  ).resolves.toEqual(
    expect.arrayContaining(["breached", "fired", "acknowledged", "commented", "resolved"]),
  );
  expect(await storedState(alert.id)).toBe("resolved");

  // Resolved alerts leave the default inbox and are listed on request.
  await page.goto(`/alerts?model=${model.slug}`);
  await expect(page.getByTestId("alerts-empty")).toBeVisible();
  await page.getByTestId("filter-state").selectOption("resolved");
  await expect(page).toHaveURL(/state=resolved/);
  await expect(row).toBeVisible();
});

test("a viewer sees the alert without actions, and the server refuses the viewer's acknowledge", async ({
  page,
}) => {
  const { alert } = await seedDriftAlert();
  await signInAs(page, "viewer");
  await page.goto(`/alerts/${alert.id}`);
  await expect(page.getByTestId("alert-detail")).toHaveAttribute("data-state", "firing");
  await expect(page.getByTestId("alert-timeline")).toBeVisible();
  await expect(page.getByTestId("alert-actions")).toHaveCount(0);
  await expect(page.getByTestId("alert-acknowledge")).toHaveCount(0);
  await expect(page.getByTestId("alert-comment-body")).toHaveCount(0);

  const response = await page.request.post("/api/trpc/alerts.acknowledge", {
    data: { json: { projectSlug: e2eState().projectSlug, alertId: alert.id } },
  });
  expect(response.status()).toBe(403);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe("FORBIDDEN");
  expect(await storedState(alert.id)).toBe("firing");
});
