/**
 * Screenshots of the approval workflow for the README, from a running demo (`pnpm demo`), whose
 * seed leaves a production promotion of credit-risk v2 awaiting approval:
 *   pnpm --filter @plumbline/e2e screenshots:governance
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

// A demo approver: the request waits for their decision.
await page.goto(`${baseUrl}/signin`);
await page
  .getByTestId("signin-email")
  .fill(process.env.SCREENSHOT_EMAIL ?? "approver@plumbline.demo");
await page.getByTestId("signin-password").fill("plumbline-demo");
await page.getByTestId("signin-submit").click();
await page.waitForURL(/\/models/);

await page.goto(`${baseUrl}/approvals`);
await page.getByTestId("approval-row").first().waitFor();
await page.screenshot({ path: path.join(outDir, "approvals-inbox.png") });

await page.getByTestId("approval-row").first().click();
await page.getByTestId("gate-result-row").first().waitFor();
await page.getByTestId("lineage-graph").waitFor();
await page.waitForTimeout(1_500);
await page.screenshot({ path: path.join(outDir, "promotion-evidence.png"), fullPage: true });

await page.goto(`${baseUrl}/audit`);
await page.getByTestId("audit-row").first().waitFor();
await page.getByTestId("audit-verify").click();
await page.getByTestId("audit-verify-result").waitFor();
await page.screenshot({ path: path.join(outDir, "audit-log.png") });

await page.goto(`${baseUrl}/registry/credit-risk/2`);
await page.getByTestId("lineage-graph").waitFor();
await page.waitForTimeout(1_000);
await page.screenshot({ path: path.join(outDir, "registry-version.png"), fullPage: true });

await browser.close();
console.log(`Screenshots written to ${path.relative(process.cwd(), outDir)}`);
