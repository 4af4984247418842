import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { INGEST_URL, repoRoot, WEB_URL } from "../support/environment";
import { signInAs } from "../support/sign-in";
import { e2eState } from "../support/state";

const cliBin = path.join(repoRoot, "packages", "cli", "bin", "plumbline.mjs");

function plumbline(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [cliBin, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, PLUMBLINE_URL: WEB_URL, PLUMBLINE_API_KEY: e2eState().ciApiKey },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test.describe.configure({ mode: "serial" });

/**
 * The KServe user's path: register a model with its schema and class names from the CLI, point
 * the payload logger at ingest, and see named features and class names; then edit the class
 * labels of the version ingest registered, from the version page, with the keyboard.
 */
test.describe("a model schema from the CLI to the version page", () => {
  const slug = `iris-${randomUUID().slice(0, 8)}`;
  const directory = mkdtempSync(path.join(tmpdir(), "plumbline-e2e-schema-"));
  const write = (name: string, value: unknown) => {
    writeFileSync(path.join(directory, name), JSON.stringify(value));
    return name;
  };

  test("plumbline model register --schema registers features and class labels", async ({
    request,
  }) => {
    const schema = write("schema.json", {
      features: [
        { name: "sepal_length", type: "numeric", position: 0 },
        { name: "sepal_width", type: "numeric", position: 1 },
        { name: "petal_length", type: "numeric", position: 2 },
        { name: "petal_width", type: "numeric", position: 3 },
      ],
      classLabels: ["setosa", "versicolor", "virginica"],
    });
    const run = plumbline(
      ["model", "register", "--model", slug, "--name", "Iris", "--schema", schema],
      directory,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("feature   sepal_length (numeric) at column 0");
    expect(run.stdout).toContain("classes   setosa, versicolor, virginica");

    const fetched = await request.get(`${WEB_URL}/api/v1/models/${slug}`, {
      headers: { authorization: `Bearer ${e2eState().ciApiKey}` },
    });
    expect(((await fetched.json()) as { schema: unknown }).schema).toMatchObject({
      classLabels: ["setosa", "versicolor", "virginica"],
    });

    const bad = write("bad-schema.json", {
      features: [
        { name: "a", type: "numeric", position: 0 },
        { name: "b", type: "numeric", position: 0 },
      ],
    });
    const refused = plumbline(["model", "schema", "--model", slug, "--schema", bad], directory);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('position 0 is taken by feature "a"');
  });

  test("KServe V1 events are stored with the schema's names", async ({ request }) => {
    const send = (half: "request" | "response", body: unknown) =>
      request.post(`${INGEST_URL}/v1/ingest/cloudevents`, {
        headers: {
          authorization: `Bearer ${e2eState().apiKey}`,
          "ce-specversion": "1.0",
          "ce-id": "e2e-iris-1",
          "ce-type": `org.kubeflow.serving.inference.${half}`,
          "ce-source": "http://localhost:9081/",
          "ce-time": new Date().toISOString().replace("Z", "123Z"),
          "ce-inferenceservicename": slug,
          "content-type": "application/json",
        },
        data: JSON.stringify(body),
      });
    expect((await send("request", { instances: [[6.9, 3.1, 5.4, 2.1]] })).status()).toBe(202);
    const joined = await send("response", { predictions: [2] });
    expect(await joined.json()).toMatchObject({ status: "joined", records: 1 });
    const lookup = await request.get(`${INGEST_URL}/v1/predictions/${slug}/e2e-iris-1:0`, {
      headers: { authorization: `Bearer ${e2eState().apiKey}` },
    });
    expect(await lookup.json()).toMatchObject({
      predictions: [
        {
          version: "1",
          features: { sepal_length: 6.9, sepal_width: 3.1, petal_length: 5.4, petal_width: 2.1 },
          prediction: { label: "virginica" },
        },
      ],
    });
  });

  test("the version page shows the schema and edits class labels with the keyboard", async ({
    page,
  }) => {
    await signInAs(page, "ml_engineer");
    await page.goto(`/registry/${slug}/1`);
    const panel = page.getByTestId("model-schema-panel");
    await expect(panel.getByTestId("schema-features")).toContainText("petal_width");
    await expect(panel.getByTestId("schema-classes")).toContainText("virginica");

    await panel.getByTestId("schema-classes-edit").focus();
    await page.keyboard.press("Enter");
    const input = panel.getByTestId("schema-classes-input");
    await expect(input).toBeFocused();
    await input.fill("setosa, versicolor, virginica, unknown");
    await panel.screenshot({ path: path.join(tmpdir(), "plumbline-model-schema-form.png") });
    await page.keyboard.press("Enter");
    await expect(panel.getByTestId("schema-classes")).toContainText("unknown");
    await page.screenshot({ path: path.join(tmpdir(), "plumbline-model-schema-panel.png") });

    // The server checks what the form checks: a label listed twice is refused over HTTP.
    const response = await page.request.post(`${WEB_URL}/api/trpc/registry.setVersionClassLabels`, {
      data: {
        json: {
          projectSlug: e2eState().projectSlug,
          modelSlug: slug,
          version: "1",
          classLabels: { labels: ["x", "y", "x"], positive: null },
        },
      },
    });
    expect(response.status()).toBe(400);

    // Saving the features from this version's page leaves the model's default class labels as
    // they were: the version's own list (now with "unknown") is not copied onto the model.
    await panel.getByTestId("schema-features-edit").click();
    const features = panel.getByTestId("schema-features-input");
    await features.fill(`${await features.inputValue()}\npetal_ratio numeric`);
    await panel.getByTestId("schema-features-save").click();
    await expect(panel.getByTestId("schema-features")).toContainText("petal_ratio");
    const fetched = await page.request.get(`${WEB_URL}/api/v1/models/${slug}`, {
      headers: { authorization: `Bearer ${e2eState().ciApiKey}` },
    });
    expect(
      ((await fetched.json()) as { schema: { classLabels?: string[] } }).schema.classLabels,
    ).toEqual(["setosa", "versicolor", "virginica"]);
  });

  test("a viewer sees the schema without edit buttons and is refused over HTTP", async ({
    page,
  }) => {
    await signInAs(page, "viewer");
    await page.goto(`/registry/${slug}/1`);
    const panel = page.getByTestId("model-schema-panel");
    await expect(panel.getByTestId("schema-classes")).toContainText("unknown");
    await expect(panel.getByTestId("schema-classes-edit")).toHaveCount(0);
    await expect(panel.getByTestId("schema-features-edit")).toHaveCount(0);
    const response = await page.request.post(`${WEB_URL}/api/trpc/registry.setModelSchema`, {
      data: {
        json: { projectSlug: e2eState().projectSlug, modelSlug: slug, schema: { features: [] } },
      },
    });
    expect(response.status()).toBe(403);
  });
});
