import { randomUUID } from "node:crypto";

import { expect, test, type APIRequestContext } from "@playwright/test";

import { INGEST_URL } from "../support/environment";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

async function postPredictions(request: APIRequestContext, count: number, version = "1") {
  const { apiKey, liveModelSlug: modelSlug } = e2eState();
  const records = Array.from({ length: count }, (_, index) => ({
    prediction_id: randomUUID(),
    timestamp: new Date().toISOString(),
    model: { id: modelSlug, version },
    features: { income: 40_000 + index * 100, region: index % 2 ? "north" : "south" },
    prediction: { label: "repay", score: 0.75 },
  }));
  const response = await request.post(`${INGEST_URL}/v1/predictions`, {
    data: { records },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(response.status(), await response.text()).toBe(202);
}

test("predictions posted to ingest appear on the model page, which refreshes by itself", async ({
  page,
  request,
}) => {
  const { liveModelSlug: modelSlug } = e2eState();
  await postPredictions(request, 25, "1");
  await postPredictions(request, 15, "2");

  await signInAs(page, "viewer");
  await page.goto(`/models/${modelSlug}`);
  const total = page.getByTestId("total-predictions");
  await expect(total).toHaveAttribute("data-value", "40");
  await expect(
    page.getByTestId("volume-chart").locator(".recharts-bar-rectangle").first(),
  ).toBeVisible();
  // Every record carried score 0.75 (exact in binary); one minute of data draws a single point, so read the value.
  await expect(page.getByTestId("mean-confidence")).toHaveAttribute("data-value", "0.75");
  await expect(
    page.getByTestId("confidence-chart").locator("svg.recharts-surface").first(),
  ).toBeVisible();

  // No reload: the page refetches on each server-sent event (polling only if the stream drops).
  await postPredictions(request, 10, "1");
  await expect(total).toHaveAttribute("data-value", "50", { timeout: 20_000 });
});
