import { defineConfig } from "@playwright/test";

import { chromiumLaunchOptions } from "./support/browser";
import { WEB_URL } from "./support/environment";

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Several specs walk multi-step flows (sign-in, forms, a second person); on a loaded 2-core
  // CI machine one minute was measured to be too tight for them.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  outputDir: "./.reports/test-results",
  // `pnpm test` sets PLAYWRIGHT_JSON_OUTPUT_NAME so its closing line can count the results.
  reporter: [
    ["list"],
    ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? ".reports/playwright.json" }],
  ],
  use: {
    baseURL: WEB_URL,
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions(),
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
});
