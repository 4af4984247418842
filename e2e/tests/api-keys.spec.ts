import { randomUUID } from "node:crypto";

import { expect, test, type APIRequestContext } from "@playwright/test";

import { INGEST_URL } from "../support/environment";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

async function postOnePrediction(request: APIRequestContext, token: string) {
  const { modelSlug } = e2eState();
  return request.post(`${INGEST_URL}/v1/predictions`, {
    data: {
      records: [
        {
          prediction_id: randomUUID(),
          timestamp: new Date().toISOString(),
          model: { id: modelSlug, version: "1" },
          features: { income: 1, region: "north" },
          prediction: { label: "repay", score: 0.9 },
        },
      ],
    },
    headers: { authorization: `Bearer ${token}` },
  });
}

test("an admin creates a key that ingest accepts, then revokes it and ingest refuses it", async ({
  page,
  request,
}) => {
  const { modelSlug } = e2eState();
  const name = `e2e service ${randomUUID().slice(0, 8)}`;
  await signInAs(page, "admin");
  await page.goto("/settings");

  await page.getByTestId("api-key-create-open").click();
  await page.getByTestId("api-key-create-name").fill(name);
  // The form starts with the two ingest scopes ticked.
  await expect(page.locator('[data-testid="api-key-create-scope"]:checked')).toHaveCount(2);
  await page.getByTestId("api-key-create-some-models").check();
  await page.locator(`[data-testid="api-key-create-model"][value="${modelSlug}"]`).check();
  await page.getByTestId("api-key-create-submit").click();

  const token = (await page.getByTestId("api-key-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^pl_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");
  // The table shows the public prefix, never the secret.
  await expect(page.getByTestId("api-keys-table")).not.toContainText(token.split("_")[3]!);

  const accepted = await postOnePrediction(request, token);
  expect(accepted.status(), await accepted.text()).toBe(202);

  await row.getByTestId("api-key-revoke").click();
  await row.getByTestId("api-key-revoke-confirm").click();
  await expect(row.getByTestId("api-key-status")).toHaveText("Revoked");

  const refused = await postOnePrediction(request, token);
  expect(refused.status()).toBe(401);

  // Shown once: after a reload the token is gone for good.
  await page.reload();
  await expect(page.getByTestId("api-keys-table")).toBeVisible();
  await expect(page.getByTestId("api-key-token")).toHaveCount(0);
});

test("a viewer sees that keys are admin-only, and the server refuses them one", async ({
  page,
}) => {
  const { projectSlug } = e2eState();
  await signInAs(page, "viewer");
  await page.goto("/settings");
  await expect(page.getByTestId("api-keys-admin-only")).toBeVisible();
  await expect(page.getByTestId("api-key-create-open")).toHaveCount(0);

  const response = await page.request.post("/api/trpc/apiKeys.create", {
    data: {
      json: {
        projectSlug,
        name: "sneaky",
        scopes: ["predictions:write"],
        modelAllowList: null,
        expiresInDays: null,
      },
    },
  });
  expect(response.status()).toBe(403);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe("FORBIDDEN");
});
