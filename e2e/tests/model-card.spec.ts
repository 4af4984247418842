import { createHash, randomUUID } from "node:crypto";

import { expect, test, type Browser, type Page } from "@playwright/test";

import { signInAs, trpcQueryUrl, type Role } from "../support/sign-in";
import { e2eState } from "../support/state";

/** A fresh browser context per person, so each one keeps their own session. */
async function pageFor(browser: Browser, role: Role): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, role);
  return page;
}

/** A tRPC mutation over plain HTTP with the page's cookies; fails the test on a refusal. */
async function mutate<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  expect(response.status(), `${procedure}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

test("an engineer writes and submits a model card, a viewer may not edit it, an approver approves it", async ({
  browser,
}) => {
  // Three people sign in and act in turn, with a conflict and reloads on the way.
  test.setTimeout(180_000);
  const { projectSlug } = e2eState();
  // A model of its own, so that no other spec (promotion-flow uses e2e-credit v3, the CLI its
  // own models) reads or writes this card.
  const suffix = randomUUID().slice(0, 8);
  const modelSlug = `card-${suffix}`;
  const ref = { projectSlug, modelSlug, version: "1" };

  const engineer = await pageFor(browser, "ml_engineer");
  await mutate(engineer, "registry.registerModel", {
    projectSlug,
    slug: modelSlug,
    name: "Card model",
    task: "binary_classification",
  });
  const train = await mutate<{ version: { id: string } }>(
    engineer,
    "registry.registerDatasetVersion",
    {
      projectSlug,
      datasetName: `card-applications-${suffix}`,
      version: "2026-q3",
      digest: sha256(`train-${suffix}`),
      rowCount: 12_000,
      split: "train",
    },
  );
  await mutate(engineer, "registry.registerVersion", {
    ...ref,
    artifactUri: `s3://e2e-models/${modelSlug}/1/model.tar.gz`,
    artifactDigest: sha256(`artifact-${suffix}`),
    datasets: [{ datasetVersionId: train.version.id, role: "train" }],
  });
  await mutate(engineer, "registry.postEvaluation", {
    ...ref,
    evaluation: {
      kind: "holdout",
      outcome: "pass",
      metrics: [{ metric: "auc", slice: null, value: 0.861, lower: 0.84, upper: 0.88, n: 2000 }],
      groups: [],
    },
  });

  // The engineer writes the card from the empty state. An owner without a name is refused by
  // the form, naming the field, and the cursor goes to it.
  await engineer.goto(`/registry/${modelSlug}/1`);
  await expect(engineer.getByTestId("model-card-empty")).toBeVisible();
  await engineer.getByTestId("model-card-create").click();
  const editor = engineer.getByTestId("model-card-editor");
  await expect(editor.getByTestId("card-field-name")).toHaveValue("Card model");
  await editor.getByTestId("card-owners-add").click();
  await editor.getByTestId("card-owner-contact").fill("risk-ml@e2e.test");
  await editor.getByTestId("card-save").click();
  await expect(editor.getByTestId("card-form-errors")).toContainText("Owner 1 needs a name.");
  await expect(editor.getByTestId("card-owner-name")).toBeFocused();

  await editor.getByTestId("card-owner-name").fill("Risk ML team");
  await editor
    .getByTestId("card-field-overview")
    .fill("Probability that an applicant defaults within 12 months.");
  await editor.getByTestId("card-licenses-add").click();
  await editor.getByTestId("card-license-value").fill("Apache-2.0");
  await editor.getByTestId("card-field-users").fill("Credit officers reviewing applications");
  await editor.getByTestId("card-field-useCases").fill("Rank applications for manual review");
  await editor
    .getByTestId("card-field-limitations")
    .fill("Not validated for business loans\nNot for applicants under 21");
  await editor.getByTestId("card-ethicalConsiderations-add").click();
  await editor.getByTestId("card-ethical-name").fill("Regional disparity");
  await editor.getByTestId("card-ethical-mitigation").fill("Parity ratio by region gated at 0.8.");
  await editor.getByTestId("card-field-riskRating").selectOption("high");
  // Ctrl+Enter saves from any field.
  await editor.getByTestId("card-field-limitations").press("Control+Enter");

  const card = engineer.getByTestId("model-card");
  await expect(editor).toHaveCount(0);
  await expect(card.getByTestId("model-card-status")).toHaveAttribute("data-status", "draft");
  await expect(card.getByTestId("model-card-edited")).toContainText("E2E ml_engineer");
  // Data and metrics were filled from lineage and the holdout evaluation: the card is complete.
  await expect(card.getByTestId("card-data")).toContainText(`card-applications-${suffix}@2026-q3`);
  await expect(card.getByTestId("card-metrics")).toContainText("0.861");
  await expect(card.getByTestId("model-card-completeness")).toContainText("12 of 12");
  await expect(card.getByTestId("model-card-missing")).toHaveCount(0);

  // It persists.
  await engineer.reload();
  await expect(card.getByTestId("card-overview")).toContainText(
    "Probability that an applicant defaults within 12 months.",
  );
  await expect(card.getByTestId("card-limitations")).toContainText("Not for applicants under 21");
  await expect(card.getByTestId("card-risk-rating")).toContainText("high");

  // Someone else saves the card while the engineer has it open: the save is refused as a
  // conflict, and the engineer can load the newer card.
  await card.getByTestId("model-card-edit").click();
  await editor.getByTestId("card-field-tradeoffs").fill("Mine: favours recall");
  const stored = (await (
    await engineer.request.get(trpcQueryUrl("modelCards.get", ref))
  ).json()) as {
    result: { data: { json: { content: { considerations: Record<string, unknown> } } } };
  };
  const content = stored.result.data.json.content;
  await mutate(engineer, "modelCards.edit", {
    ...ref,
    content: {
      ...content,
      considerations: {
        ...content.considerations,
        tradeoffs: [{ description: "Theirs: favours precision" }],
      },
    },
  });
  await editor.getByTestId("card-save").click();
  await expect(editor.getByTestId("card-save-conflict")).toContainText("revision 2");
  await editor.getByTestId("card-load-latest").click();
  await expect(editor.getByTestId("card-field-tradeoffs")).toHaveValue("Theirs: favours precision");
  await editor.getByTestId("card-cancel").click();
  await expect(editor).toHaveCount(0);
  await expect(card.getByTestId("model-card-edit")).toBeFocused();

  // The engineer submits it for approval; only an approver may approve.
  await card.getByTestId("model-card-submit").click();
  await expect(card.getByTestId("model-card-status")).toHaveAttribute(
    "data-status",
    "pending_review",
  );
  await expect(card.getByTestId("model-card-submitted")).toContainText("E2E ml_engineer");
  await expect(card.getByTestId("model-card-approve")).toHaveCount(0);

  // A viewer reads the card but has no buttons, and the server refuses an edit anyway.
  const viewer = await pageFor(browser, "viewer");
  await viewer.goto(`/registry/${modelSlug}/1`);
  const viewerCard = viewer.getByTestId("model-card");
  await expect(viewerCard.getByTestId("model-card-status")).toHaveAttribute(
    "data-status",
    "pending_review",
  );
  await expect(viewerCard.getByTestId("card-overview")).toBeVisible();
  for (const button of ["model-card-edit", "model-card-submit", "model-card-approve"]) {
    await expect(viewerCard.getByTestId(button)).toHaveCount(0);
  }
  const refused = await viewer.request.post("/api/trpc/modelCards.edit", {
    data: { json: { ...ref, content: { modelDetails: { name: "Vandalised" } } } },
  });
  expect(refused.status()).toBe(403);
  const body = (await refused.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe("FORBIDDEN");

  // An approver approves it; everyone then sees it approved, by whom.
  const approver = await pageFor(browser, "approver");
  await approver.goto(`/registry/${modelSlug}/1`);
  const approverCard = approver.getByTestId("model-card");
  await approverCard.getByTestId("model-card-approve").click();
  await expect(approverCard.getByTestId("model-card-status")).toHaveAttribute(
    "data-status",
    "approved",
  );
  await expect(approverCard.getByTestId("model-card-approved")).toContainText("E2E approver");

  await engineer.reload();
  await expect(card.getByTestId("model-card-status")).toHaveAttribute("data-status", "approved");
  await expect(card.getByTestId("card-name")).toContainText("Card model");
});
