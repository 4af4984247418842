import { randomUUID } from "node:crypto";

import { expect, test, type APIRequestContext } from "@playwright/test";

import { uploadReference } from "@plumbline/api/services/references/upload-reference";
import { createDatabase } from "@plumbline/db/client";

import { INGEST_URL } from "../support/environment";
import { seedDriftAlert } from "../support/seed-alerts";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

/**
 * Monitors for people: the preview replays a monitor over the last 7 days of rollups and shows
 * when it would have fired, before anything is saved; a long mute of a critical monitor by an
 * engineer waits for an approver.
 */

const HOUR_MS = 60 * 60 * 1000;

/** Deterministic incomes around 40,000 (spread 4,000), shifted by `shift`. */
function income(index: number, shift = 0): number {
  return 40_000 + shift + ((index * 7919) % 101) * 80 - 4_000;
}

async function postHour(
  request: APIRequestContext,
  modelSlug: string,
  hourStart: number,
  shift: number,
) {
  const records = Array.from({ length: 600 }, (_, index) => ({
    prediction_id: randomUUID(),
    // Spread over the hour, so each hourly bucket holds its own 600 rows.
    timestamp: new Date(hourStart + index * 5_000).toISOString(),
    model: { id: modelSlug, version: "1", deployment: "stable" },
    features: { income: income(index, shift), region: index % 3 ? "north" : "south" },
    prediction: { label: index % 4 ? "repay" : "default", score: 0.6 + (index % 5) * 0.05 },
    latency_ms: 10 + (index % 7),
  }));
  const response = await request.post(`${INGEST_URL}/v1/predictions`, {
    data: { records },
    headers: { authorization: `Bearer ${e2eState().apiKey}` },
  });
  expect(response.status(), await response.text()).toBe(202);
}

test("the preview shows when a drift monitor would have fired over the last days", async ({
  page,
  request,
}) => {
  const { project, model } = await seedDriftAlert();
  const state = e2eState();
  const { db, sql } = createDatabase(state.databaseUrl);
  try {
    const engineer = await db.query.users.findFirst({
      where: (row, { eq }) => eq(row.email, state.users.ml_engineer),
    });
    if (!engineer) throw new Error("The e2e set-up has no engineer.");
    const csv = [
      "income,region",
      ...Array.from({ length: 2_000 }, (_, index) =>
        [income(index), index % 3 ? "north" : "south"].join(","),
      ),
    ].join("\n");
    await uploadReference(
      {
        db,
        projectId: project.id,
        actor: { type: "user", id: engineer.id, role: "ml_engineer" },
      },
      { modelSlug: model.slug, version: "1", format: "csv", content: csv },
    );
  } finally {
    await sql.end();
  }
  // Six hours of traffic ending two hours ago; the middle two hours drift by three spreads.
  const firstHour = Math.floor((Date.now() - 8 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  for (let hour = 0; hour < 6; hour += 1) {
    await postHour(
      request,
      model.slug,
      firstHour + hour * HOUR_MS,
      hour === 2 || hour === 3 ? 12_000 : 0,
    );
  }

  await signInAs(page, "ml_engineer");
  await page.goto(`/models/${model.slug}/monitors`);
  await page.getByTestId("monitor-new").click();
  await page.getByTestId("monitor-name").fill("Income drift, hourly");
  await page.getByTestId("monitor-feature").fill("income");
  await page.getByTestId("monitor-minSamples").fill("100");
  await page.getByTestId("monitor-breachesToFire").fill("1");
  await page.getByTestId("monitor-healthyToResolve").fill("1");
  await page.getByTestId("monitor-preview-button").click();
  const preview = page.getByTestId("monitor-preview");
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(preview).not.toHaveAttribute("data-firings", "0");
  await expect(page.getByTestId("monitor-preview-summary")).toContainText("would have fired");
  await expect(page.getByTestId("monitor-preview-firings")).toContainText("income");

  // Nothing was saved by the preview; saving adds the monitor to the list.
  await page.getByTestId("monitor-save").click();
  await expect(page.getByTestId("monitor-row")).toHaveCount(2);
});

test("an engineer's 48 h mute of a critical monitor waits for an approver", async ({ browser }) => {
  const { model } = await seedDriftAlert();
  const engineerPage = await browser.newPage();
  await signInAs(engineerPage, "ml_engineer");
  await engineerPage.goto(`/models/${model.slug}/monitors`);
  await engineerPage.getByTestId("monitor-mute").click();
  const end = new Date(Date.now() + 48 * HOUR_MS);
  const local = new Date(end.getTime() - end.getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 16);
  await engineerPage.getByTestId("mute-end").fill(local);
  await engineerPage.getByTestId("mute-reason").fill("Backfilling the income feature");
  await expect(engineerPage.getByTestId("mute-needs-approval")).toBeVisible();
  await engineerPage.getByTestId("mute-submit").click();
  const mute = engineerPage.getByTestId("mute-row");
  await expect(mute).toHaveAttribute("data-status", "pending");
  await expect(engineerPage.getByTestId("mute-approve")).toHaveCount(0);
  await engineerPage.close();

  const approverPage = await browser.newPage();
  await signInAs(approverPage, "approver");
  await approverPage.goto(`/models/${model.slug}/monitors`);
  await approverPage.getByTestId("mute-approve").click();
  await expect(approverPage.getByTestId("mute-row")).toHaveAttribute("data-status", "in force");
  await approverPage.close();
});
