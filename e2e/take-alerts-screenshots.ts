/**
 * Screenshots of alerts and monitors (the inbox, an alert, a model's monitors, the monitor form's
 * preview, the model page's alert markers). Seeds a few monitors and alerts on a model of a
 * running app, through the same services people use, then looks at them as an engineer:
 *   SCREENSHOT_DATABASE_URL=postgres://... pnpm --filter @plumbline/e2e screenshots:alerts
 * Env: SCREENSHOT_BASE_URL (default http://localhost:3000), SCREENSHOT_DIR (default
 * docs/screenshots), SCREENSHOT_PROJECT (acme-lending), SCREENSHOT_MODEL (credit-risk),
 * SCREENSHOT_EMAIL (engineer@plumbline.demo), SCREENSHOT_PASSWORD (plumbline-demo).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { chromium } from "@playwright/test";

import { performAlertAction } from "@plumbline/api/services/alerts/alert-actions";
import { createMute } from "@plumbline/api/services/monitors/mutes";
import { createDatabase } from "@plumbline/db/client";
import {
  createAlertRow,
  createEvaluationRow,
  createMonitorRow,
} from "@plumbline/db/monitor-factories";

import { chromiumLaunchOptions } from "./support/browser";
import { repoRoot } from "./support/environment";

const baseUrl = process.env.SCREENSHOT_BASE_URL ?? "http://localhost:3000";
const outDir = process.env.SCREENSHOT_DIR ?? path.join(repoRoot, "docs", "screenshots");
const databaseUrl = process.env.SCREENSHOT_DATABASE_URL;
const projectSlug = process.env.SCREENSHOT_PROJECT ?? "acme-lending";
const modelSlug = process.env.SCREENSHOT_MODEL ?? "credit-risk";
const email = process.env.SCREENSHOT_EMAIL ?? "engineer@plumbline.demo";
const password = process.env.SCREENSHOT_PASSWORD ?? "plumbline-demo";
if (!databaseUrl) throw new Error("Set SCREENSHOT_DATABASE_URL to the running app's database.");
mkdirSync(outDir, { recursive: true });

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

// --- seed -------------------------------------------------------------------------------------
const { db, sql } = createDatabase(databaseUrl, { max: 2 });
const project = await db.query.projects.findFirst({
  where: (row, { eq }) => eq(row.slug, projectSlug),
});
const model = project
  ? await db.query.models.findFirst({
      where: (row, { and, eq }) => and(eq(row.projectId, project.id), eq(row.slug, modelSlug)),
    })
  : undefined;
const engineer = await db.query.users.findFirst({ where: (row, { eq }) => eq(row.email, email) });
if (!project || !model || !engineer) {
  throw new Error(`No project ${projectSlug}, model ${modelSlug} or user ${email} there.`);
}
const ctx = {
  db,
  projectId: project.id,
  actor: { type: "user" as const, id: engineer.id, role: "ml_engineer" as const },
};
const now = Date.now();
const hourEnd = (hoursAgo: number) =>
  new Date(Math.floor(now / HOUR_MS) * HOUR_MS - hoursAgo * HOUR_MS);

const drift = await createMonitorRow(db, {
  projectId: project.id,
  modelId: model.id,
  settings: { name: "Feature drift", feature: null },
});
const latency = await createMonitorRow(db, {
  projectId: project.id,
  modelId: model.id,
  settings: {
    name: "Latency p95",
    metric: "latency",
    statistic: "p95",
    threshold: { kind: "static", direction: "above", warning: 250, critical: 800 },
    bucketMinutes: 5,
    windowMinutes: 15,
    minSamples: 50,
    breachesToFire: 3,
  },
});
const volume = await createMonitorRow(db, {
  projectId: project.id,
  modelId: model.id,
  settings: {
    name: "Traffic volume",
    metric: "traffic_volume",
    statistic: "count",
    threshold: {
      kind: "band",
      method: "median_mad",
      direction: "either",
      warningK: 4,
      criticalK: null,
      trailingBuckets: 672,
    },
  },
});
for (let hour = 6; hour >= 1; hour -= 1) {
  await createEvaluationRow(db, {
    monitor: drift,
    bucketEnd: hourEnd(hour),
    outcome: hour <= 2 ? "critical" : "ok",
  });
  await createEvaluationRow(db, { monitor: volume, bucketEnd: hourEnd(hour), outcome: "ok" });
}
await createEvaluationRow(db, {
  monitor: latency,
  bucketEnd: new Date(now - 5 * MINUTE_MS),
  outcome: "warning",
});

const incomeAlert = await createAlertRow(db, {
  monitor: drift,
  firedAt: hourEnd(1),
  feature: "income",
  severity: "critical",
  value: 0.312,
  rebreachCount: 1,
  features: [
    { feature: "income", js: 0.312, psi: 0.91, pValue: 1e-14, status: "alert" },
    { feature: "debt_ratio", js: 0.164, psi: 0.33, pValue: 2e-6, status: "warn" },
    { feature: "age", js: 0.041, psi: 0.02, pValue: 0.21, status: "ok" },
  ],
});
await createAlertRow(db, {
  monitor: drift,
  firedAt: hourEnd(2),
  feature: "debt_ratio",
  severity: "warning",
  value: 0.164,
  details: { threshold: 0.1 },
});
const latencyAlert = await createAlertRow(db, {
  monitor: latency,
  firedAt: new Date(now - 25 * MINUTE_MS),
  feature: null,
  severity: "warning",
  value: 312,
  bucketMinutes: 5,
  details: { threshold: 250, features: [] },
});
await performAlertAction(ctx, { alertId: latencyAlert.id, action: { type: "acknowledge" } });
await performAlertAction(ctx, {
  alertId: latencyAlert.id,
  action: { type: "assign", ownerId: engineer.id },
});
await performAlertAction(ctx, {
  alertId: incomeAlert.id,
  action: {
    type: "comment",
    body: "The income feature doubled at 14:00: the upstream job now reports monthly income in cents. Checking with the data team.",
  },
});
await createMute(ctx, {
  monitorId: drift.id,
  startsAt: new Date(now),
  endsAt: new Date(now + 48 * HOUR_MS),
  reason: "Backfilling income after the unit fix",
});
await sql.end();

// --- look -------------------------------------------------------------------------------------
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
});
async function shoot(name: string, fullPage = true) {
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage });
  console.log(`  ${name}.png`);
}

await page.goto(`${baseUrl}/signin`);
await page.getByTestId("signin-email").fill(email);
await page.getByTestId("signin-password").fill(password);
await page.getByTestId("signin-submit").click();
await page.waitForURL(/\/models/);

await page.goto(`${baseUrl}/alerts`);
await page.getByTestId("alert-row").first().waitFor();
await shoot("alerts-inbox");

await page.goto(`${baseUrl}/alerts/${incomeAlert.id}`);
await page.getByTestId("alert-timeline").waitFor();
await shoot("alert-detail");

await page.goto(`${baseUrl}/models/${modelSlug}/monitors`);
await page.getByTestId("monitor-row").first().waitFor();
await shoot("monitors");

await page
  .locator(`[data-testid=monitor-row][data-monitor-id="${drift.id}"]`)
  .getByTestId("monitor-edit")
  .click();
await page.getByTestId("monitor-preview-button").click();
await page
  .locator("[data-testid=monitor-preview], [role=alert]")
  .first()
  .waitFor({ timeout: 60_000 });
await page.waitForTimeout(500);
await shoot("monitor-preview");

await page.goto(`${baseUrl}/models/${modelSlug}?range=24h`);
await page.getByTestId("traffic-section").waitFor();
await page.waitForTimeout(2_000);
await shoot("model-alert-markers", false);

await browser.close();
console.log(`Screenshots written to ${path.relative(process.cwd(), outDir)}`);
