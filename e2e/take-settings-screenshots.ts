/**
 * Screenshots of Settings → Webhooks and Settings → Environments and promotion policies for the
 * docs, from a running demo (`pnpm demo`):
 *   pnpm --filter @plumbline/e2e screenshots:settings
 * Env: SCREENSHOT_BASE_URL (default http://localhost:3000), SCREENSHOT_EMAIL (default the demo
 * admin). It subscribes two webhooks through the API and a third through the form (so that the
 * signing secret and the verification help show), each replaced on a rerun. The policy form is
 * opened, never saved: saving would make the demo's open promotion request stale.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { chromium, type Page } from "@playwright/test";

import { chromiumLaunchOptions } from "./support/browser";
import { repoRoot } from "./support/environment";

const baseUrl = process.env.SCREENSHOT_BASE_URL ?? "http://localhost:3000";
const outDir = path.join(repoRoot, "docs", "screenshots");
mkdirSync(outDir, { recursive: true });

const WEBHOOKS = [
  {
    url: "https://deploy-bot.acme.example/plumbline",
    description: "Deploy bot: shifts traffic once a promotion is approved",
    eventTypes: ["promotion.approved", "promotion.promoted", "promotion.rolled_back"],
    active: true,
  },
  {
    url: "https://ci.acme.example/hooks/model-registry",
    description: "Nightly evaluation pipeline (paused during the CI migration)",
    eventTypes: ["model_version.ready", "evaluation.posted"],
    active: false,
  },
];
// Added through the form, so that the screenshot shows the secret callout.
const FORM_WEBHOOK = {
  url: "https://hooks.chat.acme.example/services/ml-releases",
  description: "#ml-releases channel",
};

interface Listed {
  id: string;
  url: string;
}

async function trpc<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const response = await page.request.post(`${baseUrl}/api/trpc/${procedure}`, {
    data: { json: input },
  });
  if (!response.ok())
    throw new Error(`${procedure}: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function listWebhooks(page: Page, projectSlug: string): Promise<Listed[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { projectSlug } }));
  const response = await page.request.get(`${baseUrl}/api/trpc/webhooks.list?input=${input}`);
  return ((await response.json()) as { result: { data: { json: Listed[] } } }).result.data.json;
}

/** The section with a margin of the page around it, as it looks in the app. */
async function screenshotSection(page: Page, testId: string, file: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  const margin = 16;
  await page.screenshot({
    path: path.join(outDir, file),
    fullPage: true,
    clip: {
      x: box.x - margin,
      y: box.y - margin,
      width: box.width + 2 * margin,
      height: box.height + 2 * margin,
    },
  });
}

const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
});

await page.goto(`${baseUrl}/signin`);
await page.getByTestId("signin-email").fill(process.env.SCREENSHOT_EMAIL ?? "admin@plumbline.demo");
await page.getByTestId("signin-password").fill("plumbline-demo");
await page.getByTestId("signin-submit").click();
await page.waitForURL(/\/models/);

const me = await page.request.get(`${baseUrl}/api/trpc/me.get`);
const projectSlug = (
  (await me.json()) as { result: { data: { json: { projects: { slug: string }[] } } } }
).result.data.json.projects[0]!.slug;

const ours = new Set([...WEBHOOKS.map((webhook) => webhook.url), FORM_WEBHOOK.url]);
for (const webhook of await listWebhooks(page, projectSlug)) {
  if (ours.has(webhook.url)) {
    await trpc(page, "webhooks.delete", { projectSlug, webhookId: webhook.id });
  }
}
for (const { active, ...webhook } of WEBHOOKS) {
  const created = await trpc<{ webhook: Listed }>(page, "webhooks.create", {
    projectSlug,
    ...webhook,
  });
  if (!active) {
    await trpc(page, "webhooks.update", { projectSlug, webhookId: created.webhook.id, active });
  }
}

await page.goto(`${baseUrl}/settings`);
await page.getByTestId("webhook-create-open").click();
await page.getByTestId("webhook-create-url").fill(FORM_WEBHOOK.url);
await page.getByTestId("webhook-create-description").fill(FORM_WEBHOOK.description);
await page.getByTestId("webhook-create-all-events").check();
await page.getByTestId("webhook-create-submit").click();
await page.getByTestId("webhook-secret").waitFor();
await page.getByTestId("webhook-row").nth(2).waitFor();
// The focused heading draws no ring, but move the caret away from the form anyway.
await page.mouse.move(0, 0);
await screenshotSection(page, "webhooks-section", "settings-webhooks.png");

await page.getByTestId("webhook-created-dismiss").click();
const production = page.locator('[data-testid="environment-row"][data-environment="production"]');
await production.getByTestId("policy-edit").click();
await page.getByTestId("policy-form").waitFor();
const staging = page.locator('[data-testid="environment-row"][data-environment="staging"]');
await staging.getByTestId("environment-approvals").waitFor();
await page.mouse.move(0, 0);
await screenshotSection(page, "environments-section", "settings-policies.png");

await browser.close();
console.log(`Screenshots written to ${path.relative(process.cwd(), outDir)}`);
