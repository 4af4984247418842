import { randomUUID } from "node:crypto";

import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

import { INGEST_URL } from "../support/environment";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

/**
 * The monitoring dashboard on its own model: every chart draws, new data arrives without a
 * reload (and how long that takes), the canary filter and comparison, a reference uploaded in
 * the UI that turns a shifted feature into drift, the drill-down, and who may create references.
 */

function driftModel(): string {
  const slug = e2eState().driftModelSlug;
  if (!slug) throw new Error("the e2e state has no driftModelSlug: run the global set-up again");
  return slug;
}

/** Deterministic incomes around 40,000 (spread 4,000), shifted by `shift`. */
function income(index: number, shift = 0): number {
  return 40_000 + shift + ((index * 7919) % 101) * 80 - 4_000;
}

async function postPredictions(
  request: APIRequestContext,
  count: number,
  options: { version?: string; deployment?: "stable" | "canary"; shift?: number } = {},
): Promise<number> {
  const records = Array.from({ length: count }, (_, index) => ({
    prediction_id: randomUUID(),
    timestamp: new Date().toISOString(),
    model: {
      id: driftModel(),
      version: options.version ?? "1",
      deployment: options.deployment ?? "stable",
    },
    features: { income: income(index, options.shift), region: index % 3 ? "north" : "south" },
    prediction: { label: index % 4 ? "repay" : "default", score: 0.6 + (index % 5) * 0.05 },
    latency_ms: 10 + (index % 7),
  }));
  const response = await request.post(`${INGEST_URL}/v1/predictions`, {
    data: { records },
    headers: { authorization: `Bearer ${e2eState().apiKey}` },
  });
  expect(response.status(), await response.text()).toBe(202);
  return Date.now();
}

async function openModel(page: Page, query = "") {
  await page.goto(`/models/${driftModel()}${query ? `?${query}` : ""}`);
  await expect(page.getByTestId("model-name")).toBeVisible();
  // A select changed before React hydrates keeps its new value but never reaches the URL.
  await expect(page.getByTestId("dashboard-toolbar")).toHaveAttribute("data-interactive", "true");
}

test.describe.serial("monitoring dashboard", () => {
  test("every chart draws, and new predictions appear without a reload", async ({
    page,
    request,
  }) => {
    await postPredictions(request, 30, { version: "1", deployment: "stable" });
    await postPredictions(request, 10, { version: "2", deployment: "canary" });

    await signInAs(page, "ml_engineer");
    await openModel(page);
    const total = page.getByTestId("total-predictions");
    await expect(total).toHaveAttribute("data-value", "40");
    await expect(
      page.getByTestId("volume-chart").locator(".recharts-bar-rectangle").first(),
    ).toBeVisible();
    for (const chart of [
      "confidence-chart",
      "error-rate-chart",
      "latency-chart",
      "score-band-chart",
    ]) {
      await expect(page.getByTestId(chart).locator("svg.recharts-surface").first()).toBeVisible();
    }
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-mode", "streaming");

    // Ingest-to-chart latency: from the acknowledged POST to the count changing on screen.
    const acknowledgedAt = await postPredictions(request, 5);
    await expect(total).toHaveAttribute("data-value", "45", { timeout: 20_000 });
    const latencyMs = Date.now() - acknowledgedAt;
    test
      .info()
      .annotations.push({ type: "ingest-to-chart latency", description: `${latencyMs} ms` });
    console.log(`ingest-to-chart latency: ${latencyMs} ms`);
  });

  test("filters to the canary and compares it with stable, in the URL", async ({ page }) => {
    await signInAs(page, "viewer");
    await openModel(page);
    await page.getByTestId("filter-deployment").selectOption("canary");
    await expect(page).toHaveURL(/deployment=canary/);
    await expect(page.getByTestId("total-predictions")).toHaveAttribute("data-value", "10");

    await page.getByTestId("filter-deployment").selectOption("");
    await page.getByTestId("compare-kind").selectOption("deployments");
    await expect(page).toHaveURL(/compare=deployments/);
    await expect(page.getByTestId("volume-chart")).toContainText("Canary");
    await expect(page.getByTestId("volume-chart")).toContainText("Stable");

    // The shared link reproduces the view.
    await page.reload();
    await expect(page.getByTestId("compare-kind")).toHaveValue("deployments");
  });

  test("a viewer sees the references but cannot create one", async ({ page }) => {
    await signInAs(page, "viewer");
    await openModel(page);
    await expect(page.getByTestId("reference-row").first()).toBeVisible();
    await expect(page.getByTestId("reference-upload")).toHaveCount(0);
    const response = await page.request.post("/api/trpc/references.upload", {
      data: {
        json: {
          projectSlug: e2eState().projectSlug,
          modelSlug: driftModel(),
          version: "1",
          format: "csv",
          content: "income,region\n1,north\n",
        },
      },
    });
    expect(response.status()).toBe(403);
  });

  test("a reference uploaded in the UI turns a shifted feature into drift, explained in the drill-down", async ({
    page,
    request,
  }) => {
    await signInAs(page, "ml_engineer");
    await openModel(page);
    const csv = [
      "income,region",
      ...Array.from(
        { length: 600 },
        (_, index) => `${income(index)},${index % 3 ? "north" : "south"}`,
      ),
    ].join("\n");
    await page
      .locator('[data-testid=reference-row][data-version="1"]')
      .getByTestId("reference-upload")
      .click();
    await page.getByTestId("reference-file").setInputFiles({
      name: "training.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await page.getByTestId("reference-upload-submit").click();
    await expect(page.getByTestId("reference-dialog")).toBeHidden();
    await expect(page.locator('[data-testid=reference-row][data-version="1"]')).toContainText(
      "File uploaded here",
    );

    // Incomes three spreads higher than the reference: drift on income, not on region.
    await postPredictions(request, 400, { version: "1", shift: 12_000 });
    const incomeRow = page.locator('[data-testid=drift-row][data-feature="income"]');
    await expect(incomeRow.getByTestId("drift-status")).toHaveAttribute("data-status", "alert", {
      timeout: 20_000,
    });
    await expect(
      page.locator('[data-testid=drift-row][data-feature="region"]').getByTestId("drift-status"),
    ).not.toHaveAttribute("data-status", "alert");
    await expect(
      page.getByTestId("drift-heatmap").locator('[data-status="alert"]').first(),
    ).toBeVisible();

    await incomeRow.getByTestId("drift-feature-link").click();
    await expect(page.getByTestId("feature-name")).toHaveText("income");
    await expect(page.getByTestId("feature-status")).toHaveAttribute("data-status", "alert");
    await expect(
      page.getByTestId("histogram-overlay").locator("svg.recharts-surface").first(),
    ).toBeVisible();
    await expect(page.getByTestId("statistic-meaning").first()).not.toBeEmpty();
    await expect(page.getByTestId("sample-sizes")).toBeVisible();
  });
});
