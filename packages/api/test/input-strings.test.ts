import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createMember, createProject } from "@plumbline/db/factories";
import { apiKeys, webhooks } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { createCaller, createInnerContext } from "../src";

let database: TestDatabase;
let adminId = "";

const admin = () => createCaller(createInnerContext({ db: database.db, userId: adminId }));

async function expectBadRequestNaming(promise: Promise<unknown>, field: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe("BAD_REQUEST");
  expect((error as TRPCError).message.startsWith(`${field}: `)).toBe(true);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const project = await createProject(database.db, { slug: "lending" });
  adminId = (await createMember(database.db, { projectId: project.id, role: "admin" })).id;
});
afterAll(async () => {
  await database.drop();
});

describe("strings that cannot be stored", () => {
  it("refuses a NUL in a key name with BAD_REQUEST naming the field, before anything is written", async () => {
    await expectBadRequestNaming(
      admin().apiKeys.create({
        projectSlug: "lending",
        name: "ci\u0000key",
        scopes: ["read"],
        modelAllowList: null,
        expiresInDays: null,
      }),
      "name",
    );
    expect(await database.db.select().from(apiKeys)).toHaveLength(0);
  });

  it("refuses a lone surrogate in a webhook description or inside an array, naming the path", async () => {
    await expectBadRequestNaming(
      admin().webhooks.create({
        projectSlug: "lending",
        url: "https://hooks.example.com/plumbline",
        eventTypes: ["*"],
        description: "ab\ud800cd",
      }),
      "description",
    );
    await expectBadRequestNaming(
      admin().apiKeys.create({
        projectSlug: "lending",
        name: "ci",
        scopes: ["read"],
        modelAllowList: ["ok", "bad\udc00"],
        expiresInDays: null,
      }),
      "modelAllowList[1]",
    );
    expect(await database.db.select().from(webhooks)).toHaveLength(0);
  });

  it("refuses a bad project slug before looking the project up", async () => {
    await expectBadRequestNaming(
      admin().models.list({ projectSlug: "lend\u0000ing" }),
      "projectSlug",
    );
  });

  it("still accepts well-formed text, astral characters included", async () => {
    const created = await admin().webhooks.create({
      projectSlug: "lending",
      url: "https://hooks.example.com/plumbline",
      eventTypes: ["*"],
      description: "alerts 🚨 for the lending team",
    });
    expect(created.webhook.description).toBe("alerts 🚨 for the lending team");
  });
});
