import { randomUUID } from "node:crypto";

import { expect, test, type Browser, type Page } from "@playwright/test";

import { signInAs, type Role } from "../support/sign-in";
import { e2eState } from "../support/state";

/**
 * Settings → Webhooks and Settings → Environments and promotion policies. Each test makes its own
 * webhooks and environment: the seeded production and ci-staging policies belong to
 * promotion-flow.spec.ts and cli.spec.ts, which run alongside, and a policy change would make
 * their open requests stale. Only this file causes `gate_policy.updated` and `model_card.*`
 * events, so the delivery logs below are exact.
 */

/** A fresh browser context per person, so each one keeps their own session. */
async function pageFor(browser: Browser, role: Role): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, role);
  return page;
}

const webhookRow = (page: Page, url: string) =>
  page.getByTestId("webhook-row").filter({ hasText: url });

const environmentRow = (page: Page, name: string) =>
  page.locator(`[data-testid="environment-row"][data-environment="${name}"]`);

interface TrpcError {
  error: { json: { data: { code: string } } };
}

test("an admin adds a webhook, sees its secret once, and pauses it", async ({ page }) => {
  const url = `https://hooks.e2e.test/${randomUUID().slice(0, 8)}`;
  await signInAs(page, "admin");
  await page.goto("/settings");

  await page.getByTestId("webhook-create-open").click();
  const form = page.getByTestId("webhook-create-form");
  // The form names each problem before anything is sent.
  await page.getByTestId("webhook-create-url").fill("hooks.e2e.test/plumbline");
  await page.getByTestId("webhook-create-submit").click();
  await expect(form).toContainText("Enter a full http(s) URL");
  await expect(form).toContainText("Choose at least one event, or all events.");

  await page.getByTestId("webhook-create-url").fill(url);
  await page.getByTestId("webhook-create-description").fill("e2e governance bot");
  await page.locator('[data-testid="webhook-create-event"][value="gate_policy.updated"]').check();
  await page.locator('[data-testid="webhook-create-event"][value="model_card.approved"]').check();
  await page.getByTestId("webhook-create-submit").click();

  // The secret, once, with the headers a receiver checks.
  const secret = (await page.getByTestId("webhook-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  const verify = page.getByTestId("webhook-verify-headers");
  for (const header of ["Plumbline-Signature", "Plumbline-Timestamp", "Plumbline-Delivery"]) {
    await expect(verify).toContainText(header);
  }
  await expect(page.getByTestId("webhook-secret-copy")).toBeVisible();

  const row = webhookRow(page, url);
  await expect(row.getByTestId("webhook-events")).toContainText("gate_policy.updated");
  await expect(row.getByTestId("webhook-events")).toContainText("model_card.approved");
  await expect(row).toContainText("e2e governance bot");
  await expect(row.getByTestId("webhook-status")).toHaveText("Active");
  await expect(page.getByTestId("webhooks-table")).not.toContainText(secret);
  await page.getByTestId("webhook-created-dismiss").click();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

  await row.getByTestId("webhook-active-toggle").click();
  await expect(row.getByTestId("webhook-status")).toHaveText("Paused");
  await expect(row.getByTestId("webhook-active-toggle")).toHaveAttribute("aria-checked", "false");

  // After a reload the subscription is still paused, and the secret is gone for good.
  await page.reload();
  await expect(row.getByTestId("webhook-status")).toHaveText("Paused");
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

  await row.getByTestId("webhook-deliveries-link").click();
  await expect(page).toHaveURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
  // The detail names the channel beside the URL.
  await expect(page.getByTestId("webhook-detail-url")).toContainText(url);
  await expect(page.getByTestId("webhook-deliveries-empty")).toContainText("No deliveries yet");
});

test("an admin adds an environment, an approver edits its policy, and the change persists", async ({
  browser,
}) => {
  // Two people sign in and act in turn.
  test.setTimeout(180_000);
  const { projectSlug } = e2eState();
  const name = `e2e-settings-${randomUUID().slice(0, 8)}`;

  const admin = await pageFor(browser, "admin");
  await admin.goto("/settings");
  await admin.getByTestId("environment-create-open").click();
  await admin.getByTestId("environment-create-name").fill("Staging EU");
  await admin.getByTestId("environment-create-submit").click();
  await expect(admin.getByTestId("environment-create-form")).toContainText(
    "Use lowercase letters, digits, - and _",
  );
  await admin.getByTestId("environment-create-name").fill(name);
  await admin.getByTestId("environment-create-kind").selectOption("staging");
  await admin.getByTestId("environment-create-submit").click();
  await expect(admin.getByTestId("environment-created")).toContainText(name);
  await expect(environmentRow(admin, name).getByTestId("environment-policy-source")).toHaveText(
    "Defaults",
  );

  // The approver subscribes to policy changes, so the edit below shows up in a delivery log.
  const approver = await pageFor(browser, "approver");
  const hookUrl = `https://hooks.e2e.test/policy-${randomUUID().slice(0, 8)}`;
  const subscribed = await approver.request.post("/api/trpc/webhooks.create", {
    data: { json: { projectSlug, url: hookUrl, eventTypes: ["gate_policy.updated"] } },
  });
  expect(subscribed.status(), await subscribed.text()).toBe(200);
  const webhookId = (
    (await subscribed.json()) as { result: { data: { json: { webhook: { id: string } } } } }
  ).result.data.json.webhook.id;

  await approver.goto("/settings");
  // Approvers manage policies, not environments (the role matrix).
  await expect(approver.getByTestId("environments-table")).toBeVisible();
  await expect(approver.getByTestId("environment-create-open")).toHaveCount(0);
  const row = environmentRow(approver, name);
  await row.getByTestId("policy-edit").click();
  const form = approver.getByTestId("policy-form");
  await expect(form).toBeVisible();

  // Invalid values are refused with a message that names the problem, and focus moves there.
  await approver.getByTestId("policy-required-approvals-input").fill("11");
  await approver.getByTestId("policy-approval-ttl-input").fill("0");
  await approver.getByTestId("policy-save").click();
  await expect(form).toContainText("Enter a whole number of approvals from 0 to 10.");
  await expect(form).toContainText("Enter the approval expiry in hours");
  await expect(approver.getByTestId("policy-form-problems")).toHaveText(
    "Fix the 2 problems marked above to save.",
  );
  await expect(approver.getByTestId("policy-required-approvals-input")).toBeFocused();

  await approver.getByTestId("policy-required-approvals-input").fill("2");
  await approver.getByTestId("policy-approval-ttl-input").fill("48");
  await approver.getByTestId("policy-model-card-required").check();
  // Tighten the default parity rule and add an absolute threshold on recall.
  const parity = form.locator(
    '[data-testid="rule-editor"][data-rule-id="demographic-parity-ratio"]',
  );
  await parity.getByTestId("rule-threshold").fill("0.85");
  await approver.getByTestId("policy-add-rule-metric_vs_baseline").click();
  const added = form.getByTestId("rule-editor").last();
  await added.getByTestId("rule-against").selectOption("metric_threshold");
  await added.getByTestId("rule-threshold").fill("0.7");
  await approver.getByTestId("policy-save").click();
  await expect(added).toContainText("Enter the metric's name, for example auc.");
  await added.getByTestId("rule-metric").fill("recall");
  await approver.getByTestId("policy-save").click();

  await expect(approver.getByTestId("policy-saved")).toContainText("Policy saved.");
  const expectSavedPolicy = async (page: Page) => {
    const details = page.getByTestId("policy-details");
    await expect(details.getByTestId("policy-required-approvals")).toHaveText("2");
    await expect(details.getByTestId("policy-approval-expiry")).toHaveText("48 hours (2 days)");
    await expect(details.getByTestId("policy-model-card")).toHaveText("Required, complete");
    await expect(
      details.locator('[data-testid="policy-rule"][data-rule-id="demographic-parity-ratio"]'),
    ).toContainText("Demographic parity ratio ≥ 0.85");
    await expect(
      details.locator('[data-testid="policy-rule"][data-rule-id="recall-threshold"]'),
    ).toContainText("recall ≥ 0.7");
  };
  await expectSavedPolicy(approver);

  await approver.reload();
  await expect(row.getByTestId("environment-approvals")).toContainText("2");
  await expect(row.getByTestId("environment-policy-source")).toContainText("Updated");
  await row.getByTestId("policy-toggle").click();
  await expectSavedPolicy(approver);

  // The change was announced, and the running worker tries to deliver it: `hooks.e2e.test`
  // resolves nowhere (`.test` is a reserved domain), so the attempt fails with a generic reason
  // and the delivery waits for its retry.
  await approver.goto(`/settings/webhooks/${webhookId}`);
  const delivery = approver.getByTestId("webhook-delivery-row");
  await expect(delivery).toHaveCount(1);
  await expect(delivery.getByTestId("webhook-delivery-event")).toHaveText("gate_policy.updated");
  await expect(async () => {
    await approver.getByTestId("webhook-deliveries-refresh").click();
    await expect(delivery).toContainText(/DNS lookup failed|timeout/, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(delivery.getByTestId("webhook-delivery-status")).toHaveText("Pending");

  // Deleting takes a confirmation, and the subscription is gone.
  await approver.goto("/settings");
  const hook = webhookRow(approver, hookUrl);
  await hook.getByTestId("webhook-delete").click();
  await hook.getByTestId("webhook-delete-confirm").click();
  await expect(hook).toHaveCount(0);
});

test("a viewer reads policies without edit controls, and the server refuses their edits", async ({
  page,
}) => {
  const { projectSlug } = e2eState();
  await signInAs(page, "viewer");
  await page.goto("/settings");

  await expect(page.getByTestId("webhooks-managers-only")).toBeVisible();
  await expect(page.getByTestId("webhook-create-open")).toHaveCount(0);
  await expect(page.getByTestId("webhooks-table")).toHaveCount(0);

  const production = environmentRow(page, "production");
  await expect(production).toBeVisible();
  await expect(page.getByTestId("environment-create-open")).toHaveCount(0);
  await expect(page.getByTestId("policy-edit")).toHaveCount(0);
  await production.getByTestId("policy-toggle").click();
  const details = page.getByTestId("policy-details");
  await expect(details.getByTestId("policy-required-approvals")).toHaveText("2");
  await expect(details.getByTestId("policy-approver-roles")).toContainText("Approvers");
  await expect(page.getByTestId("policy-form")).toHaveCount(0);

  const webhook = await page.request.post("/api/trpc/webhooks.create", {
    data: { json: { projectSlug, url: "https://hooks.e2e.test/sneaky", eventTypes: ["*"] } },
  });
  expect(webhook.status()).toBe(403);
  expect(((await webhook.json()) as TrpcError).error.json.data.code).toBe("FORBIDDEN");

  const policy = await page.request.post("/api/trpc/promotions.upsertPolicy", {
    data: { json: { projectSlug, environment: "production", policy: { requiredApprovals: 1 } } },
  });
  expect(policy.status()).toBe(403);
  expect(((await policy.json()) as TrpcError).error.json.data.code).toBe("FORBIDDEN");
});
