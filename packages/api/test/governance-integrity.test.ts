import { randomUUID } from "node:crypto";

import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiKey } from "@plumbline/db/api-keys";
import { testArtifactDigest } from "@plumbline/db/factories";
import { auditLog, modelVersions, outboxEvents } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { editModelCard, submitModelCard } from "../src/services/model-cards/model-cards";
import { decidePromotion } from "../src/services/promotions/decide-promotion";
import { deployPromotion } from "../src/services/promotions/deploy-promotion";
import { getPromotion } from "../src/services/promotions/promotion-queries";
import { requestPromotion } from "../src/services/promotions/request-promotion";
import { postEvaluation } from "../src/services/registry/evaluations";
import { registerDatasetVersion } from "../src/services/registry/lineage";
import { registerVersion } from "../src/services/registry/models";
import { ServiceError } from "../src/services/service-error";
import {
  createGovernanceFixture,
  expectTrpcError,
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

/** The TRPC error's `cause` is the service refusal: its stable reason. */
async function expectTrpcReason(promise: Promise<unknown>, reason: string) {
  await expect(promise).rejects.toSatisfy((error: unknown) => {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof ServiceError && cause.reason === reason;
  });
}

/** A statement the database refuses, with a message matching `pattern` (drizzle wraps it). */
async function expectDatabaseRefusal(promise: Promise<unknown>, pattern: RegExp, label = "") {
  await expect(promise, label).rejects.toSatisfy((error: unknown) => {
    const cause = (error as { cause?: unknown }).cause;
    const message = cause instanceof Error ? cause.message : String(error);
    return pattern.test(message);
  });
}

describe("environments of kind staging and production are protected by default", () => {
  it("protects a production environment named prod-eu; only an admin turns that off, audited", async () => {
    const admin = f.caller(f.admin);
    const created = await admin.registry.createEnvironment({
      projectSlug: f.project.slug,
      name: "prod-eu",
      kind: "production",
    });
    expect(created.protected).toBe(true);
    const version = await f.candidate();
    const move = () =>
      f.caller(f.engineer).registry.moveAlias({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: version.version,
        alias: "prod-eu",
      });
    await expectTrpcError(move(), "FORBIDDEN");

    await expectTrpcError(
      f.caller(f.approver).registry.setEnvironmentProtection({
        projectSlug: f.project.slug,
        environmentName: "prod-eu",
        protected: false,
        reason: "regional sandbox",
      }),
      "FORBIDDEN",
    );
    await expectTrpcReason(
      admin.registry.setEnvironmentProtection({
        projectSlug: f.project.slug,
        environmentName: "prod-eu",
        protected: false,
        reason: " ",
      }),
      "reason_required",
    );
    const off = await admin.registry.setEnvironmentProtection({
      projectSlug: f.project.slug,
      environmentName: "prod-eu",
      protected: false,
      reason: "regional sandbox until launch",
    });
    expect(off.protected).toBe(false);
    const audit = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "environment.unprotected"), eq(auditLog.resourceId, off.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: f.admin.id,
      reason: "regional sandbox until launch",
    });
    await expect(move()).resolves.toMatchObject({ via: "direct" });
  });

  it("refuses to create a staging or production environment unprotected, in the service and the database", async () => {
    await expectTrpcReason(
      f.caller(f.admin).registry.createEnvironment({
        projectSlug: f.project.slug,
        name: "stage-eu",
        kind: "staging",
        protected: false,
      }),
      "protected",
    );
    await expectDatabaseRefusal(
      f.db.execute(
        sql`insert into environments (project_id, name, kind) values (${f.project.id}, 'prod-us', 'production')`,
      ),
      /created protected/,
    );
    const dev = await f.caller(f.admin).registry.createEnvironment({
      projectSlug: f.project.slug,
      name: "sandbox",
      kind: "development",
    });
    expect(dev.protected).toBe(false);
  });

  it("keeps the aliases named staging and production protected", async () => {
    await expectTrpcReason(
      f.caller(f.admin).registry.setEnvironmentProtection({
        projectSlug: f.project.slug,
        environmentName: "production",
        protected: false,
        reason: "no",
      }),
      "protected_alias",
    );
  });
});

describe("a promotion requested with an API key counts as requested by the key's creator", () => {
  it("records the key's creator and refuses them as an approver", async () => {
    const { key } = await createApiKey(
      f.db,
      {
        projectId: f.project.id,
        name: `ci-${randomUUID().slice(0, 6)}`,
        scopes: ["promotions:request", "models:register"],
        mode: "test",
      },
      { type: "user", id: f.approver.id },
    );
    const version = await f.candidate(f.engineer);
    const request = await requestPromotion(
      { db: f.db, projectId: f.project.id, actor: { type: "api_key", id: key.id } },
      { modelVersionId: version.id, environmentName: "production", justification: "CI" },
    );
    expect(request.state).toBe("awaiting_approval");
    expect(request.requesterUserId).toBe(f.approver.id);
    await expectTrpcReason(
      f.caller(f.approver).promotions.approve({
        projectSlug: f.project.slug,
        requestId: request.id,
        comment: "my pipeline, my approval",
        artifactDigest: request.artifactDigest,
      }),
      "self_approval_requester",
    );
  });
});

describe("model cards", () => {
  it("refuses the card's author as its approver, and records when it was submitted and approved", async () => {
    const version = await f.candidate(f.admin2);
    const ref = {
      projectSlug: f.project.slug,
      modelSlug: f.model.slug,
      version: version.version,
    };
    await editModelCard(f.ctxOf(f.approver), {
      versionId: version.id,
      content: { modelDetails: { name: "Card" } },
    });
    const submitted = await submitModelCard(f.ctxOf(f.engineer), { versionId: version.id });
    expect(submitted.submittedAt).toBeInstanceOf(Date);
    await expectTrpcReason(f.caller(f.approver).modelCards.approve(ref), "self_approval_author");
    const approved = await f.caller(f.approvers[1]!).modelCards.approve(ref);
    expect(approved).toMatchObject({ status: "approved", approvedBy: f.approvers[1]!.id });
    expect(approved.approvedAt).toBeInstanceOf(Date);
    expect(approved.submittedAt).toEqual(submitted.submittedAt);
  });

  it("refuses the submitter as the approver", async () => {
    const version = await f.candidate(f.admin2);
    await editModelCard(f.ctxOf(f.admin2), {
      versionId: version.id,
      content: { modelDetails: { name: "Card" } },
    });
    await submitModelCard(f.ctxOf(f.approver), { versionId: version.id });
    await expectTrpcReason(
      f.caller(f.approver).modelCards.approve({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: version.version,
      }),
      "self_approval_author",
    );
  });
});

describe("a version that has been ready is immutable in every code path", () => {
  async function readyWithDataset() {
    const { version: dataset } = await registerDatasetVersion(f.ctxOf(f.engineer), {
      datasetName: `train-${randomUUID().slice(0, 6)}`,
      version: "1",
      digest: testArtifactDigest(randomUUID()),
    });
    const version = await registerVersion(f.ctxOf(f.engineer), {
      modelId: f.model.id,
      version: `frozen-${randomUUID().slice(0, 6)}`,
      artifactUri: "s3://models/frozen",
      artifactDigest: testArtifactDigest(randomUUID()),
      datasets: [{ datasetVersionId: dataset.id, role: "train" }],
    });
    expect(version.status).toBe("ready");
    return { version, dataset };
  }

  it("refuses the service paths", async () => {
    const { version, dataset } = await readyWithDataset();
    const ref = { projectSlug: f.project.slug, modelSlug: f.model.slug, version: version.version };
    await expectTrpcReason(
      f.caller(f.engineer).registry.setVersionDatasets({ ...ref, datasets: [] }),
      "version_immutable",
    );
    await expectTrpcReason(
      f.caller(f.engineer).registry.setVersionDatasets({
        ...ref,
        datasets: [{ datasetVersionId: dataset.id, role: "validation" }],
      }),
      "version_immutable",
    );
    await expectTrpcReason(
      f.caller(f.engineer).registry.completeVersion({
        ...ref,
        status: "ready",
        artifactDigest: testArtifactDigest(randomUUID()),
      }),
      "version_immutable",
    );
  });

  it("refuses raw SQL on the version, its lineage and its datasets", async () => {
    const { version, dataset } = await readyWithDataset();
    const id = version.id;
    const attempts = [
      sql`update model_versions set artifact_digest = ${testArtifactDigest(randomUUID())} where id = ${id}`,
      sql`update model_versions set status = 'registering' where id = ${id}`,
      sql`update model_versions set ready_at = null where id = ${id}`,
      sql`update model_versions set created_by = ${f.engineer2.id} where id = ${id}`,
      sql`delete from model_versions where id = ${id}`,
      sql`delete from lineage_edges where to_kind = 'model_version' and to_id = ${id}`,
      sql`update lineage_edges set role = 'holdout' where to_kind = 'model_version' and to_id = ${id}`,
      sql`insert into lineage_edges (project_id, from_kind, from_id, to_kind, to_id, role)
          values (${f.project.id}, 'dataset_version', ${randomUUID()}, 'model_version', ${id}, 'train')`,
      sql`update dataset_versions set digest = ${testArtifactDigest(randomUUID())} where id = ${dataset.id}`,
      sql`delete from dataset_versions where id = ${dataset.id}`,
    ];
    for (const [index, attempt] of attempts.entries()) {
      await expectDatabaseRefusal(
        f.db.execute(attempt),
        /immutable|frozen|cannot be deleted|lineage of a ready/,
        `attempt ${index}`,
      );
    }
    // A failed artifact check (ready -> failed) and a new description remain possible; failed
    // does not reopen the version.
    await f.db.execute(sql`update model_versions set status = 'failed' where id = ${id}`);
    await expectDatabaseRefusal(
      f.db.execute(
        sql`update model_versions set artifact_digest = ${testArtifactDigest(randomUUID())} where id = ${id}`,
      ),
      /immutable/,
    );
    await f.db.execute(sql`update model_versions set description = 'retired' where id = ${id}`);
    const [row] = await f.db.select().from(modelVersions).where(eq(modelVersions.id, id));
    expect(row).toMatchObject({ status: "failed", artifactDigest: version.artifactDigest });
  });

  it("still lets a model's deletion cascade to its versions", async () => {
    const model = await f.caller(f.engineer).registry.registerModel({
      projectSlug: f.project.slug,
      slug: `gone-${randomUUID().slice(0, 6)}`,
      name: "Gone",
    });
    await registerVersion(f.ctxOf(f.engineer), {
      modelId: model.id,
      version: "1",
      artifactUri: "s3://models/gone",
      artifactDigest: testArtifactDigest(randomUUID()),
    });
    await f.db.execute(sql`delete from models where id = ${model.id}`);
    const left = await f.db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
    expect(left).toHaveLength(0);
  });
});

describe("promotion notifications", () => {
  it("writes each notify effect as a promotion.notification outbox event naming its audience", async () => {
    const { request } = await f.openRequest("production");
    const events = await f.db
      .select()
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.resourceId, request.id),
          eq(outboxEvents.eventType, "promotion.notification"),
        ),
      );
    expect(events.map((event) => event.payload)).toEqual([
      expect.objectContaining({
        requestId: request.id,
        audience: "approvers",
        reason: "a promotion awaits approval",
        state: "awaiting_approval",
      }),
    ]);
  });
});

describe("what a promotion replaced", () => {
  it("is recorded when it is requested and shown from that record after the alias moved", async () => {
    const promote = async (auc: number) => {
      const version = await f.candidate(f.engineer);
      await postEvaluation(f.ctxOf(f.engineer), {
        versionId: version.id,
        evaluation: { kind: "holdout", outcome: "pass", metrics: [{ metric: "auc", value: auc }] },
      });
      const request = await requestPromotion(f.ctxOf(f.engineer), {
        modelVersionId: version.id,
        environmentName: "staging",
        justification: "better",
      });
      await decidePromotion(f.ctxOf(f.approver), {
        requestId: request.id,
        decision: "approve",
        comment: "ok",
        artifactDigest: request.artifactDigest,
      });
      await deployPromotion(f.ctxOf(f.engineer), { requestId: request.id });
      return { version, request };
    };
    const first = await promote(0.812);
    const second = await promote(0.827);
    const evidence = await getPromotion(f.db, f.project.id, second.request.id);
    expect(evidence.request.state).toBe("promoted");
    expect(evidence.baseline).toMatchObject({
      versionId: first.version.id,
      version: first.version.version,
      metrics: [expect.objectContaining({ metric: "auc", value: 0.812 })],
    });
    const firstEvidence = await getPromotion(f.db, f.project.id, first.request.id);
    expect(firstEvidence.baseline).toBeNull();
  });
});
