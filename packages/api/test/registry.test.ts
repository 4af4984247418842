import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "@plumbline/governance";
import { testArtifactDigest } from "@plumbline/db/factories";
import { modelVersions, webhookDeliveries } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { decidePromotion } from "../src/services/promotions/decide-promotion";
import { deployPromotion } from "../src/services/promotions/deploy-promotion";
import { registerDatasetVersion } from "../src/services/registry/lineage";
import { registerVersion } from "../src/services/registry/models";
import {
  createGovernanceFixture,
  expectRefusal,
  type GovernanceFixture,
} from "./governance-fixture";

let database: TestDatabase;
let f: GovernanceFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
});
afterAll(async () => {
  await database.drop();
});

describe("registry", () => {
  it("keeps a ready version immutable, in the service and in the database", async () => {
    const version = await f.candidate();
    await expect(
      f.caller(f.engineer).registry.setVersionDatasets({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: version.version,
        datasets: [],
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "version_immutable" } });
    await expect(
      f.db
        .update(modelVersions)
        .set({ artifactDigest: testArtifactDigest("swap") })
        .where(eq(modelVersions.id, version.id)),
    ).rejects.toThrow();
    await expectRefusal(
      registerVersion(f.ctxOf(f.engineer), {
        modelId: f.model.id,
        version: "no-digest",
        artifactUri: "s3://x",
      }),
      "artifact_digest_required",
      "BAD_REQUEST",
    );
  });

  it("walks lineage from datasets through the version to the alias and prediction stream", async () => {
    const train = await registerDatasetVersion(f.ctxOf(f.engineer), {
      datasetName: "applications",
      version: "2026-q1",
      digest: testArtifactDigest("train"),
      rowCount: 120_000,
      split: "train",
    });
    const holdout = await registerDatasetVersion(f.ctxOf(f.engineer), {
      datasetName: "applications-holdout",
      version: "2026-q1",
      digest: testArtifactDigest("holdout"),
      split: "holdout",
    });
    const version = await registerVersion(f.ctxOf(f.engineer), {
      modelId: f.model.id,
      version: "lineage-1",
      artifactUri: "s3://models/lineage-1",
      artifactDigest: testArtifactDigest("lineage-1"),
      code: { repo: "git@example.test:acme/credit.git", commit: "abc123", dirty: false },
      trainingConfig: { maxDepth: 6, learningRate: 0.1 },
      datasets: [
        { datasetVersionId: train.version.id, role: "train" },
        { datasetVersionId: holdout.version.id, role: "holdout" },
      ],
    });
    expect(version.trainingConfigHash).toMatch(/^sha256:/);
    await f.caller(f.engineer).registry.postEvaluation({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
      evaluation: { kind: "schema_validation", outcome: "pass", metrics: [], groups: [] },
    });
    const request = await f.caller(f.engineer).promotions.request({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
      environment: "staging",
      justification: "lineage",
    });
    await decidePromotion(f.ctxOf(f.approver), {
      requestId: request.id,
      decision: "approve",
      comment: "ok",
      artifactDigest: version.artifactDigest!,
    });
    await deployPromotion(f.ctxOf(f.engineer), { requestId: request.id });

    const graph = await f.caller(f.viewer).registry.lineage({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
    });
    const labels = graph.layout.nodes.map((node) => [node.column, node.label]);
    expect(labels).toEqual([
      [0, "applications-holdout@2026-q1"],
      [0, "applications@2026-q1"],
      [1, `${f.model.slug} vlineage-1`],
      [2, "@staging"],
      [3, "predictions vlineage-1"],
    ]);
    const aliases = await f.caller(f.viewer).registry.aliases({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
    });
    expect(aliases.find((a) => a.name === "staging")).toMatchObject({
      version: "lineage-1",
      protected: true,
    });

    const card = await f.caller(f.engineer).modelCards.edit({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
      content: { modelDetails: { name: "Credit risk" } },
      fillFromEvidence: true,
    });
    expect(card.status).toBe("draft");
    const stored = await f.caller(f.viewer).modelCards.get({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
    });
    expect(stored!.content.modelParameters.data.map((d) => d.role)).toEqual(["train", "holdout"]);
    expect(stored!.completeness.missing).toContain("modelDetails.overview");
    const markdown = await f.caller(f.viewer).modelCards.markdown({
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
    });
    expect(markdown).toContain("Credit risk");
  });
});

describe("webhooks", () => {
  it("queues a pending delivery per matching subscription and never lists the secret", async () => {
    const admin = f.caller(f.admin);
    const { webhook, secret, verification } = await admin.webhooks.create({
      projectSlug: f.project.slug,
      url: "https://hooks.example.test/plumbline",
      eventTypes: ["evaluation.posted"],
    });
    expect(secret).toMatch(/^whsec_/);
    expect(verification).toEqual({
      algorithm: "HMAC-SHA256",
      signatureHeader: SIGNATURE_HEADER,
      timestampHeader: TIMESTAMP_HEADER,
      deliveryHeader: DELIVERY_HEADER,
      signedContent: "{timestamp}.{deliveryId}.{body}",
      toleranceSeconds: DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
    });
    const everything = await admin.webhooks.create({
      projectSlug: f.project.slug,
      url: "https://hooks.example.test/all",
      eventTypes: ["*"],
    });
    expect(
      JSON.stringify(await admin.webhooks.list({ projectSlug: f.project.slug })),
    ).not.toContain(secret);
    await f.candidate();
    const deliveries = await admin.webhooks.deliveries({
      projectSlug: f.project.slug,
      webhookId: webhook.id,
    });
    expect(deliveries.map((d) => [d.eventType, d.status])).toEqual([
      ["evaluation.posted", "pending"],
    ]);
    const all = await f.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, everything.webhook.id));
    expect(all.length).toBeGreaterThanOrEqual(2);
  });
});
