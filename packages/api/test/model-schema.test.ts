import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditLog, models, modelVersions, projects } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createGovernanceFixture, type GovernanceFixture } from "./governance-fixture";

let database: TestDatabase;
let f: GovernanceFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
});
afterAll(async () => {
  await database.drop();
});

const IRIS_SCHEMA = {
  features: [
    { name: "sepal_length", type: "numeric" as const, position: 0 },
    { name: "sepal_width", type: "numeric" as const, position: 1 },
    { name: "species_hint", type: "categorical" as const },
  ],
  classLabels: ["setosa", "versicolor", "virginica"],
};

async function auditActions(resourceId: string) {
  const rows = await f.db
    .select({ action: auditLog.action, after: auditLog.after })
    .from(auditLog)
    .where(eq(auditLog.resourceId, resourceId))
    .orderBy(auditLog.chainSeq);
  return rows;
}

describe("model schema in the registry", () => {
  it("registers a model with its schema; versions copy its class labels unless they name their own", async () => {
    const caller = f.caller(f.engineer);
    const model = await caller.registry.registerModel({
      projectSlug: f.project.slug,
      slug: "iris",
      name: "Iris",
      task: "multiclass_classification",
      schema: IRIS_SCHEMA,
    });
    expect(model.featureSchema).toEqual({
      sepal_length: { type: "numeric", position: 0 },
      sepal_width: { type: "numeric", position: 1 },
      species_hint: { type: "categorical" },
    });
    expect(model.classLabels).toEqual({
      labels: ["setosa", "versicolor", "virginica"],
      positive: null,
    });
    const copied = await caller.registry.registerVersion({
      projectSlug: f.project.slug,
      modelSlug: "iris",
      version: "1",
      artifactUri: "s3://iris/1",
      status: "registering",
    });
    expect(copied.classLabels).toEqual(model.classLabels);
    const own = await caller.registry.registerVersion({
      projectSlug: f.project.slug,
      modelSlug: "iris",
      version: "2",
      artifactUri: "s3://iris/2",
      status: "registering",
      classLabels: { labels: ["a", "b"], positive: "b" },
    });
    expect(own.classLabels).toEqual({ labels: ["a", "b"], positive: "b" });
    const [registered] = await auditActions(model.id);
    expect(registered).toMatchObject({
      action: "model.registered",
      after: expect.objectContaining({ classLabels: model.classLabels }) as object,
    });
  });

  it("refuses a schema that names a feature or a position twice, or a positive class of a multiclass model", async () => {
    const caller = f.caller(f.engineer);
    await expect(
      caller.registry.setModelSchema({
        projectSlug: f.project.slug,
        modelSlug: "iris",
        schema: {
          features: [
            { name: "a", type: "numeric", position: 0 },
            { name: "b", type: "numeric", position: 0 },
          ],
        },
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("position 0 is taken by feature") as string,
    });
    await expect(
      caller.registry.setModelSchema({
        projectSlug: f.project.slug,
        modelSlug: "iris",
        schema: { features: [], classLabels: ["x", "y", "z"], positiveClass: "x" },
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("binary models only") as string,
    });
  });

  it("replaces the schema with an audit row holding before and after", async () => {
    const [model] = await f.db.select().from(models).where(eq(models.slug, "iris"));
    await f.caller(f.engineer).registry.setModelSchema({
      projectSlug: f.project.slug,
      modelSlug: "iris",
      schema: { features: [{ name: "petal_length", type: "numeric", position: 0 }] },
    });
    const audit = (await auditActions(model!.id)).find(
      (row) => row.action === "model.schema_changed",
    );
    expect(audit?.after).toEqual({
      features: [{ name: "petal_length", type: "numeric", position: 0 }],
    });
  });

  it("edits a version's class labels until it is ready, then refuses (service and database)", async () => {
    const caller = f.caller(f.engineer);
    const ref = { projectSlug: f.project.slug, modelSlug: "iris", version: "1" };
    const edited = await caller.registry.setVersionClassLabels({
      ...ref,
      classLabels: { labels: ["no", "yes"], positive: "yes" },
    });
    expect(edited.classLabels).toEqual({ labels: ["no", "yes"], positive: "yes" });
    await caller.registry.completeVersion({
      ...ref,
      status: "ready",
      artifactDigest: `sha256:${"a".repeat(64)}`,
    });
    await expect(
      caller.registry.setVersionClassLabels({ ...ref, classLabels: null }),
    ).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "version_immutable" } });
    await expect(
      f.db
        .update(modelVersions)
        .set({ classLabels: null })
        .where(and(eq(modelVersions.id, edited.id))),
    ).rejects.toThrow();
    const actions = (await auditActions(edited.id)).map((row) => row.action);
    expect(actions).toContain("model_version.class_labels_changed");
  });

  it("lets only admins let ingest register models on first sight, and a viewer edits no schema", async () => {
    await expect(
      f.caller(f.engineer).registry.setAutoRegisterModels({
        projectSlug: f.project.slug,
        enabled: true,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      f.caller(f.viewer).registry.setModelSchema({
        projectSlug: f.project.slug,
        modelSlug: "iris",
        schema: { features: [] },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await f.caller(f.admin).registry.setAutoRegisterModels({
      projectSlug: f.project.slug,
      enabled: true,
    });
    const [project] = await f.db.select().from(projects).where(eq(projects.id, f.project.id));
    expect(project?.autoRegisterModels).toBe(true);
    expect((await auditActions(f.project.id)).map((row) => row.action)).toContain(
      "project.auto_register_models_changed",
    );
  });
});
