/**
 * Screenshots for the README, taken from a running demo (`pnpm demo`), so they show live data:
 *   pnpm --filter @plumbline/e2e screenshots
 * Env: SCREENSHOT_BASE_URL (default http://localhost:3000).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { chromium } from "@playwright/test";

import { chromiumLaunchOptions } from "./support/browser";
import { repoRoot } from "./support/environment";

const baseUrl = process.env.SCREENSHOT_BASE_URL ?? "http://localhost:3000";
const outDir = path.join(repoRoot, "docs", "screenshots");
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
});

await page.goto(`${baseUrl}/signin`);
await page.screenshot({ path: path.join(outDir, "sign-in.png") });
await page.getByTestId("signin-email").fill("engineer@plumbline.demo");
await page.getByTestId("signin-password").fill("plumbline-demo");
await page.getByTestId("signin-submit").click();
await page.waitForURL(/\/models/);
await page.getByTestId("model-row").first().waitFor();
await page.screenshot({ path: path.join(outDir, "models.png") });

await page.goto(`${baseUrl}/models/credit-risk`);
await page.getByTestId("volume-chart").locator(".recharts-bar-rectangle").first().waitFor();
await page.waitForTimeout(1_000);
await page.screenshot({ path: path.join(outDir, "model-page.png"), fullPage: true });

await browser.close();
console.log(`Screenshots written to ${path.relative(process.cwd(), outDir)}`);
