import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { repoRoot, WEB_URL } from "../support/environment";
import { e2eState } from "../support/state";

const cliBin = path.join(repoRoot, "packages", "cli", "bin", "plumbline.mjs");

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `plumbline` as a pipeline would: a child process, configured by the environment. */
function plumbline(args: string[], options: { cwd: string; apiKey?: string }): CliRun {
  const run = spawnSync(process.execPath, [cliBin, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: {
      ...process.env,
      PLUMBLINE_URL: WEB_URL,
      PLUMBLINE_API_KEY: options.apiKey ?? e2eState().ciApiKey,
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function sha256Of(file: string): string {
  return `sha256:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
}

/** A training repository with one commit, a model file, datasets, metrics and an evaluation. */
function makeTrainingRepository() {
  const directory = mkdtempSync(path.join(tmpdir(), "plumbline-e2e-cli-"));
  const write = (name: string, content: string) => {
    writeFileSync(path.join(directory, name), content);
    return path.join(directory, name);
  };
  write("train.py", "print('training')\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=ci@e2e.test", "-c", "user.name=CI", ...args], {
      cwd: directory,
      encoding: "utf8",
    }).trim();
  git("init", "--quiet");
  git("add", "train.py");
  git("commit", "--quiet", "-m", "train");
  const commit = git("rev-parse", "HEAD");
  // Build outputs the repository ignores, so the working tree stays clean.
  write(".git/info/exclude", "*.pkl\n*.csv\n*.json\n");
  const balanced = {
    truePositives: 400,
    falsePositives: 100,
    trueNegatives: 400,
    falseNegatives: 100,
  };
  return {
    directory,
    commit,
    model: write("model.pkl", `weights ${randomUUID()}`),
    train: write("train.csv", "income,region,label\n1,north,1\n2,south,0\n"),
    holdout: write("holdout.csv", "income,region,label\n3,north,1\n"),
    metrics: write("metrics.json", JSON.stringify({ auc: 0.91, log_loss: 0.3 })),
    evaluation: write(
      "evaluation.json",
      JSON.stringify({
        kind: "schema_validation",
        outcome: "pass",
        metrics: [{ metric: "auc", value: 0.91, n: 5000 }],
      }),
    ),
    // Equal rates in both regions: the default fairness gates pass.
    fairness: write(
      "fairness.json",
      JSON.stringify({
        kind: "fairness",
        outcome: "pass",
        groups: ["north", "south"].map((group) => ({ feature: "region", group, ...balanced })),
      }),
    ),
  };
}

test.describe.configure({ mode: "serial" });

test.describe("the plumbline CLI against a running server", () => {
  const modelSlug = `cli-${randomUUID().slice(0, 8)}`;
  const repository = makeTrainingRepository();
  let promotionId = "";

  test("a CI key registers a model over REST", async ({ request }) => {
    const response = await request.post(`${WEB_URL}/api/v1/models`, {
      headers: { authorization: `Bearer ${e2eState().ciApiKey}` },
      data: { slug: modelSlug, name: "CLI model", task: "binary_classification" },
    });
    expect(response.status(), await response.text()).toBe(201);
    const listed = await request.get(`${WEB_URL}/api/v1/models`, {
      headers: { "x-api-key": e2eState().ciApiKey },
    });
    const body = (await listed.json()) as { models: { slug: string }[] };
    expect(body.models.map((model) => model.slug)).toContain(modelSlug);
  });

  test("register records the artifact digest, the git commit and the datasets", () => {
    const run = plumbline(
      [
        "register",
        "--model",
        modelSlug,
        "--version",
        "1",
        "--artifact",
        `s3://models/${modelSlug}/1/model.pkl`,
        "--artifact-file",
        "model.pkl",
        "--dataset",
        "train=train.csv",
        "--dataset",
        "holdout:credit-holdout=holdout.csv",
        "--metrics",
        "metrics.json",
        "--framework",
        "sklearn",
        "--json",
      ],
      { cwd: repository.directory },
    );
    expect(run.status, run.stderr).toBe(0);
    const version = JSON.parse(run.stdout) as {
      status: string;
      artifactDigest: string;
      code: { commit: string; dirty: boolean };
      metrics: Record<string, number>;
      datasets: { role: string; name: string; digest: string }[];
    };
    expect(version.status).toBe("ready");
    expect(version.artifactDigest).toBe(sha256Of(repository.model));
    expect(version.code).toMatchObject({ commit: repository.commit, dirty: false });
    expect(version.metrics).toEqual({ auc: 0.91, log_loss: 0.3 });
    expect(version.datasets.map(({ role, name, digest }) => ({ role, name, digest }))).toEqual(
      expect.arrayContaining([
        { role: "train", name: "train", digest: sha256Of(repository.train) },
        { role: "holdout", name: "credit-holdout", digest: sha256Of(repository.holdout) },
      ]),
    );
  });

  test("registering the same version again is a named conflict", () => {
    const run = plumbline(
      [
        "register",
        "--model",
        modelSlug,
        "--version",
        "1",
        "--artifact",
        "s3://x",
        "--artifact-file",
        "model.pkl",
      ],
      { cwd: repository.directory },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("HTTP 409 version_exists");
  });

  test("evaluate posts the evaluation files", () => {
    const evaluate = (file: string) =>
      plumbline(["evaluate", "--model", modelSlug, "--version", "1", "--file", file], {
        cwd: repository.directory,
      });
    const schema = evaluate("evaluation.json");
    expect(schema.status, schema.stderr).toBe(0);
    expect(schema.stdout).toContain("Recorded schema_validation evaluation (pass)");
    const fairness = evaluate("fairness.json");
    expect(fairness.status, fairness.stderr).toBe(0);
    expect(fairness.stdout).toContain("Recorded fairness evaluation (pass)");
  });

  test("promote requests a promotion; status shows it waiting for approval", () => {
    const { ciEnvironment } = e2eState();
    const run = plumbline(
      [
        "promote",
        "--model",
        modelSlug,
        "--version",
        "1",
        "--environment",
        ciEnvironment,
        "--justification",
        "nightly retrain",
        "--json",
      ],
      { cwd: repository.directory },
    );
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const promotion = JSON.parse(run.stdout) as { id: string; state: string; environment: string };
    expect(promotion).toMatchObject({ state: "awaiting_approval", environment: ciEnvironment });
    promotionId = promotion.id;

    const status = plumbline(["status", promotionId], { cwd: repository.directory });
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain(`Promotion ${promotionId}: awaiting_approval`);
    expect(status.stdout).toMatch(/approvals 0\/1/);
  });

  test("wait gives up with exit code 4 while nobody approves", () => {
    const run = plumbline(["wait", promotionId, "--timeout", "5s", "--interval", "1s"], {
      cwd: repository.directory,
    });
    expect(run.status, run.stderr).toBe(4);
    expect(run.stderr).toContain(`promotion ${promotionId} is still awaiting_approval`);
  });
});

test.describe("the registry REST API refuses what a key may not do", () => {
  const versionsUrl = () => `${WEB_URL}/api/v1/models/${e2eState().modelSlug}/versions`;
  const version = { version: "rest-refused", artifactUri: "s3://x", artifactDigest: null };

  test("no key, or a malformed one, is 401", async ({ request }) => {
    const missing = await request.get(`${WEB_URL}/api/v1/models`);
    expect(missing.status()).toBe(401);
    expect(await missing.json()).toMatchObject({ error: "unauthenticated" });
    const bogus = await request.post(versionsUrl(), {
      headers: { authorization: "Bearer pl_live_notakey" },
      data: version,
    });
    expect(bogus.status()).toBe(401);
  });

  test("a predictions-only key may not register a version (403, naming the scope)", async ({
    request,
  }) => {
    const response = await request.post(versionsUrl(), {
      headers: { authorization: `Bearer ${e2eState().apiKey}` },
      data: version,
    });
    expect(response.status()).toBe(403);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("missing_scope");
    expect(body.message).toContain("models:register");
  });

  test("an invalid body is a 400 that names the field", async ({ request }) => {
    const response = await request.post(versionsUrl(), {
      headers: { authorization: `Bearer ${e2eState().ciApiKey}` },
      data: { version: "x" },
    });
    expect(response.status()).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  test("an unknown promotion is 404", async ({ request }) => {
    const response = await request.get(`${WEB_URL}/api/v1/promotions/${randomUUID()}`, {
      headers: { authorization: `Bearer ${e2eState().ciApiKey}` },
    });
    expect(response.status()).toBe(404);
  });

  test("a key cannot approve: the tRPC approve procedure answers 401 to it", async ({
    request,
  }) => {
    const response = await request.post(`${WEB_URL}/api/trpc/promotions.approve`, {
      headers: { authorization: `Bearer ${e2eState().ciApiKey}` },
      data: { json: { projectSlug: e2eState().projectSlug, requestId: randomUUID() } },
    });
    expect(response.status()).toBe(401);
  });
});
