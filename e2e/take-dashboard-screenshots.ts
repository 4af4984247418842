/**
 * Screenshots of the monitoring dashboard (overview, model page light and dark, a comparison,
 * a feature drill-down), taken from a running demo so they show live data:
 *   pnpm --filter @plumbline/e2e screenshots:dashboard
 * Env: SCREENSHOT_BASE_URL (default http://localhost:3000), SCREENSHOT_DIR (default
 * docs/screenshots), SCREENSHOT_MODEL (default credit-risk).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { chromium, type Page } from "@playwright/test";

import { chromiumLaunchOptions } from "./support/browser";
import { repoRoot } from "./support/environment";

const baseUrl = process.env.SCREENSHOT_BASE_URL ?? "http://localhost:3000";
const outDir = process.env.SCREENSHOT_DIR ?? path.join(repoRoot, "docs", "screenshots");
const modelSlug = process.env.SCREENSHOT_MODEL ?? "credit-risk";
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch(chromiumLaunchOptions());
const context = await browser.newContext({
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
});
const page = await context.newPage();

async function shoot(name: string, fullPage = true) {
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage });
  console.log(`  ${name}.png`);
}

/** Waits until the model page's charts have drawn (not only their skeletons). */
async function waitForModelPage(target: Page) {
  await target.getByTestId("volume-chart").locator(".recharts-bar-rectangle").first().waitFor();
  await target
    .getByTestId("drift-section")
    .locator("[data-testid=drift-table], [data-testid=drift-unavailable]")
    .first()
    .waitFor();
  await target.waitForTimeout(800);
}

await page.goto(`${baseUrl}/signin`);
await page.getByTestId("signin-email").fill("engineer@plumbline.demo");
await page.getByTestId("signin-password").fill("plumbline-demo");
await page.getByTestId("signin-submit").click();
await page.waitForURL(/\/models/);
await page.getByTestId("model-row").first().waitFor();
await page.waitForTimeout(500);
await shoot("dashboard-overview", false);

await page.goto(`${baseUrl}/models/${modelSlug}?range=1h`);
await waitForModelPage(page);
await shoot("dashboard-model-page");

await page.goto(`${baseUrl}/models/${modelSlug}?range=1h&compare=deployments`);
await waitForModelPage(page);
await shoot("dashboard-canary-vs-stable");

const featureLink = page.getByTestId("drift-feature-link").first();
if (await featureLink.isVisible()) {
  await featureLink.click();
  await page.getByTestId("histogram-overlay").waitFor();
  await page.waitForTimeout(800);
  await shoot("dashboard-feature-drill-down");
}

await page.evaluate(() => window.localStorage.setItem("plumbline-theme", "dark"));
await page.goto(`${baseUrl}/models/${modelSlug}?range=1h`);
await waitForModelPage(page);
await shoot("dashboard-model-page-dark");

await browser.close();
console.log(`Screenshots written to ${path.relative(process.cwd(), outDir)}`);
