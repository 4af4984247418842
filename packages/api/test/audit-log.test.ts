import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { appendAudit } from "@plumbline/db/audit";
import { createTestApiKey } from "@plumbline/db/factories";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { expireDuePromotions } from "../src/services/promotions/decide-promotion";
import { moveAlias } from "../src/services/registry/aliases";
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

describe("the audit log as a reader sees it", () => {
  it("names actors and shows alias moves with version labels, not ids", async () => {
    const first = await f.candidate();
    const second = await f.candidate();
    await moveAlias(f.ctxOf(f.engineer), {
      modelId: f.model.id,
      alias: "canary",
      versionId: first.id,
    });
    await moveAlias(f.ctxOf(f.engineer), {
      modelId: f.model.id,
      alias: "canary",
      versionId: second.id,
    });
    const { request } = await f.openRequest("production");
    await expireDuePromotions(f.db, new Date(Date.now() + 365 * 24 * 3600 * 1000));
    const key = await createTestApiKey(f.db, { projectId: f.project.id, name: "ci-pipeline" });
    await appendAudit(
      f.db,
      { type: "api_key", id: key.key.id },
      { projectId: f.project.id, action: "test.by_key", resourceType: "test" },
    );

    const { rows } = await f
      .caller(f.admin)
      .audit.list({ projectSlug: f.project.slug, limit: 200 });
    const engineer = await f.db.query.users.findFirst({
      where: (users, { eq }) => eq(users.id, f.engineer.id),
    });
    const moves = rows.filter((row) => row.action === "alias.moved");
    expect(moves.map((row) => row.resourceLabel)).toEqual([
      `canary: v${first.version} → v${second.version}`,
      `canary: none → v${first.version}`,
    ]);
    expect(moves[0]!.actorLabel).toBe(`${engineer!.name} <${engineer!.email}>`);
    const expired = rows.find(
      (row) => row.action === "promotion.expired" && row.resourceId === request.id,
    );
    expect(expired?.actorLabel).toBe("Plumbline (system: expire-promotions)");
    expect(rows.find((row) => row.action === "test.by_key")?.actorLabel).toBe(
      'API key "ci-pipeline"',
    );
  });

  it("refuses a filter date PostgreSQL cannot hold with BAD_REQUEST naming it, not a 500", async () => {
    const list = (from: Date) =>
      f.caller(f.admin).audit.list({ projectSlug: f.project.slug, from });
    await expect(list(new Date(-8.64e15))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("year 1 or later") as string,
    });
    await expect(list(new Date(8.64e15))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(list(new Date("2020-01-01T00:00:00Z"))).resolves.toMatchObject({
      rows: expect.any(Array) as unknown[],
    });
  });
});
