import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { webhooks } from "@plumbline/db/schema";
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
afterEach(() => {
  vi.unstubAllEnvs();
});

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("webhook destinations (SSRF guard)", () => {
  it.each([
    ["http://127.0.0.1:5432/", "loopback address"],
    ["http://localhost:3000/hook", "localhost name"],
    ["http://[::1]/hook", "loopback address"],
    ["http://169.254.169.254/latest/meta-data/iam/", "link-local address"],
    ["http://192.168.0.10/hook", "private network address"],
    ["http://[fd00::1]/hook", "unique-local IPv6 address"],
  ])("refuses to create a webhook to %s, naming the reason", async (url, reason) => {
    const before = await f.db.select({ id: webhooks.id }).from(webhooks);
    const error = await refusal(
      f.caller(f.admin).webhooks.create({ projectSlug: f.project.slug, url, eventTypes: ["*"] }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("url:");
    expect(error.message).toContain(reason);
    expect(await f.db.select({ id: webhooks.id }).from(webhooks)).toHaveLength(before.length);
  });

  it("refuses to move an existing webhook to an internal address", async () => {
    const { webhook } = await f.caller(f.admin).webhooks.create({
      projectSlug: f.project.slug,
      url: "https://hooks.example.test/plumbline",
      eventTypes: ["*"],
    });
    const error = await refusal(
      f.caller(f.admin).webhooks.update({
        projectSlug: f.project.slug,
        webhookId: webhook.id,
        url: "http://169.254.169.254/",
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("link-local address");
    const [listed] = (
      await f.caller(f.admin).webhooks.list({ projectSlug: f.project.slug })
    ).filter((row) => row.id === webhook.id);
    expect(listed?.url).toBe("https://hooks.example.test/plumbline");
  });

  it("accepts an internal receiver the operator allowed", async () => {
    vi.stubEnv("PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS", "hooks.corp.internal, 10.20.0.0/16");
    for (const url of ["http://10.20.0.5:8080/hook", "https://hooks.corp.internal/hook"]) {
      const { webhook } = await f.caller(f.admin).webhooks.create({
        projectSlug: f.project.slug,
        url,
        eventTypes: ["*"],
      });
      expect(webhook.url).toBe(url);
    }
    const error = await refusal(
      f.caller(f.admin).webhooks.create({
        projectSlug: f.project.slug,
        url: "http://10.21.0.5/hook",
        eventTypes: ["*"],
      }),
    );
    expect(error.message).toContain("private network address");
  });
});
