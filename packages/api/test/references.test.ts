import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
} from "@plumbline/db/factories";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import { auditLog, predictions, referenceProfiles } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import type { NumericProfile } from "@plumbline/drift";

import { createCaller, createInnerContext } from "../src";
import { MAX_REFERENCE_UPLOAD_BYTES } from "../src/services/references/upload-reference";

const MINUTE = 60_000;
const WINDOW_FROM = Date.parse("2026-02-10T08:00:00Z");

let database: TestDatabase;
let viewerId = "";
let engineerId = "";
let modelId = "";

const callerAs = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));

async function expectTrpcError(
  promise: Promise<unknown>,
  code: TRPCError["code"],
  message?: RegExp,
) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) =>
      error instanceof TRPCError &&
      error.code === code &&
      (!message || message.test(error.message)),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const project = await createProject(db, { slug: "lending" });
  viewerId = (await createMember(db, { projectId: project.id, role: "viewer" })).id;
  engineerId = (
    await createMember(db, { projectId: project.id, role: "ml_engineer", name: "Ada Engineer" })
  ).id;
  const model = await createModel(db, { projectId: project.id, slug: "credit-risk" });
  modelId = model.id;
  await createModelVersion(db, { modelId, version: "1" });
  await createModelVersion(db, { modelId, version: "2" });
  // Version 1 served 30 predictions, one a minute from 08:00: income 1..30, plan a/b.
  await ensurePredictionPartitions(database.sql, new Date(WINDOW_FROM), new Date(WINDOW_FROM));
  await db.insert(predictions).values(
    Array.from({ length: 30 }, (_, i) => ({
      modelId,
      ts: new Date(WINDOW_FROM + i * MINUTE),
      predictionId: `p-${i}`,
      version: "1",
      features: { income: i + 1, plan: i % 2 === 0 ? "a" : "b" },
      prediction: { label: i % 3 === 0 ? "yes" : "no", score: (i + 1) / 30 },
    })),
  );
});
afterAll(async () => {
  await database.drop();
});

describe("references", () => {
  it("lets a viewer read and refuses them to create", async () => {
    const list = await callerAs(viewerId).references.list({
      projectSlug: "lending",
      modelSlug: "credit-risk",
    });
    expect(list.map((entry) => entry.version)).toEqual(["2", "1"]);
    expect(list.every((entry) => entry.reference === null)).toBe(true);
    await expectTrpcError(
      callerAs(viewerId).references.createFromWindow({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "1",
        from: new Date(WINDOW_FROM),
        to: new Date(WINDOW_FROM + 60 * MINUTE),
      }),
      "FORBIDDEN",
      /reference\.write/,
    );
    await expectTrpcError(
      callerAs(viewerId).references.upload({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "1",
        format: "csv",
        content: "income\n1\n",
      }),
      "FORBIDDEN",
    );
  });

  it("builds a reference from a production window, audited", async () => {
    // 08:10 to 08:20: predictions 10..19, so income 11..20.
    const created = await callerAs(engineerId).references.createFromWindow({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      version: "1",
      from: new Date(WINDOW_FROM + 10 * MINUTE),
      to: new Date(WINDOW_FROM + 20 * MINUTE),
    });
    expect(created).toMatchObject({ version: "1", revision: 1, rows: 10, source: "window" });
    expect(
      created.profiles.map(({ target, name, kind, n }) => `${target}:${name}:${kind}:${n}`).sort(),
    ).toEqual([
      "feature:income:numeric:10",
      "feature:plan:categorical:10",
      "prediction:prediction:categorical:10",
      "score:score:numeric:10",
    ]);
    const [income] = await database.db
      .select()
      .from(referenceProfiles)
      .where(and(eq(referenceProfiles.modelId, modelId), eq(referenceProfiles.name, "income")));
    const profile = income!.profile as unknown as NumericProfile;
    expect(profile).toMatchObject({ n: 10, min: 11, max: 20, mean: 15.5 });

    const audit = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "reference.created"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorType: "user",
      actorId: engineerId,
      resourceType: "reference",
      resourceId: "credit-risk@1",
      after: {
        source: "window",
        revision: 1,
        rows: 10,
        window: { from: "2026-02-10T08:10:00.000Z", to: "2026-02-10T08:20:00.000Z" },
      },
    });

    const list = await callerAs(viewerId).references.list({
      projectSlug: "lending",
      modelSlug: "credit-risk",
    });
    const one = list.find((entry) => entry.version === "1")!;
    expect(one.reference).toMatchObject({
      revision: 1,
      rows: 10,
      source: "window",
      window: {
        from: new Date(WINDOW_FROM + 10 * MINUTE),
        to: new Date(WINDOW_FROM + 20 * MINUTE),
      },
      createdBy: { type: "user", id: engineerId, name: "Ada Engineer" },
    });
  });

  it("refuses a window without predictions, naming it", async () => {
    await expectTrpcError(
      callerAs(engineerId).references.createFromWindow({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "2",
        from: new Date(WINDOW_FROM),
        to: new Date(WINDOW_FROM + 60 * MINUTE),
      }),
      "BAD_REQUEST",
      /Version 2 of "credit-risk" logged no predictions/,
    );
  });

  it("builds a reference from an uploaded CSV and JSON file, audited, each a new revision", async () => {
    const csv = await callerAs(engineerId).references.upload({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      version: "2",
      format: "csv",
      content: "income,plan,prediction,score\n1,a,yes,0.9\n2,b,no,0.2\n3,a,no,0.4\n4,,yes,0.8\n",
    });
    expect(csv).toMatchObject({ version: "2", revision: 1, rows: 4, source: "upload" });
    const plan = csv.profiles.find((p) => p.name === "plan")!;
    expect(plan).toMatchObject({ kind: "categorical", n: 3, missing: 1 });

    const json = await callerAs(engineerId).references.upload({
      projectSlug: "lending",
      modelSlug: "credit-risk",
      version: "2",
      format: "json",
      content: JSON.stringify({
        rows: [
          { features: { income: 5, plan: "b" }, prediction: { label: "no", score: 0.1 } },
          { features: { income: 6, plan: "b" }, prediction: { label: "yes", score: 0.7 } },
        ],
      }),
    });
    expect(json).toMatchObject({ revision: 2, rows: 2, source: "upload" });
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "reference.created"), eq(auditLog.resourceId, "credit-risk@2")),
      );
    expect(audit.map((row) => (row.after as { revision: number }).revision).sort()).toEqual([1, 2]);
    expect(audit[0]!.after).toMatchObject({ source: "upload", file: { format: "csv" } });
  });

  it("rejects a malformed file and an oversized one with a clear message", async () => {
    await expectTrpcError(
      callerAs(engineerId).references.upload({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "2",
        format: "json",
        content: "{not json",
      }),
      "BAD_REQUEST",
      /The reference file is malformed: it is not valid JSON/,
    );
    await expectTrpcError(
      callerAs(engineerId).references.upload({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "2",
        format: "csv",
        content: "income,plan\n1\n",
      }),
      "BAD_REQUEST",
      /row 1 has 1 fields, the header has 2/,
    );
    await expectTrpcError(
      callerAs(engineerId).references.upload({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "2",
        format: "csv",
        content: `income\n${"1\n".repeat(MAX_REFERENCE_UPLOAD_BYTES / 2 + 1)}`,
      }),
      "BAD_REQUEST",
      /uploads here take at most 5\.0 MB/,
    );
    // Nothing was stored by the refused uploads.
    const list = await callerAs(viewerId).references.list({
      projectSlug: "lending",
      modelSlug: "credit-risk",
    });
    expect(list.find((entry) => entry.version === "2")!.reference?.revision).toBe(2);
  });

  it("is not found for an unknown version", async () => {
    await expectTrpcError(
      callerAs(engineerId).references.upload({
        projectSlug: "lending",
        modelSlug: "credit-risk",
        version: "9",
        format: "csv",
        content: "income\n1\n",
      }),
      "NOT_FOUND",
    );
  });
});
