import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  apiKeyAllowsModel,
  authenticateApiKey,
  generateApiKey,
  parseApiKey,
  revokeApiKey,
} from "../src/api-keys";
import { createProject, createTestApiKey } from "../src/factories";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let database: TestDatabase;
let projectId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  projectId = (await createProject(database.db)).id;
});
afterAll(async () => {
  await database.drop();
});

describe("API keys", () => {
  it("generates pl_<mode>_<keyId>_<secret> tokens that parse back", () => {
    const { token, keyId } = generateApiKey("test");
    expect(token).toMatch(/^pl_test_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(token)).toMatchObject({ mode: "test", keyId });
    expect(parseApiKey("pl_live_short_secret")).toBeNull();
    expect(parseApiKey("")).toBeNull();
  });

  it("stores only the key id and a hash of the secret", async () => {
    const { key, token } = await createTestApiKey(database.db, { projectId });
    const secret = parseApiKey(token)!.secret;
    const [row] = await database.sql`select * from api_keys where id = ${key.id}`;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("authenticates a valid key and refuses a wrong secret", async () => {
    const { key, token } = await createTestApiKey(database.db, { projectId });
    await expect(authenticateApiKey(database.db, token)).resolves.toMatchObject({
      ok: true,
      key: { id: key.id },
    });
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    await expect(authenticateApiKey(database.db, forged)).resolves.toEqual({
      ok: false,
      reason: "unknown",
    });
    await expect(authenticateApiKey(database.db, "not-a-key")).resolves.toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("refuses revoked and expired keys, and audits the revocation", async () => {
    const revoked = await createTestApiKey(database.db, { projectId });
    await revokeApiKey(database.db, { projectId, apiKeyId: revoked.key.id }, { type: "system" });
    await expect(authenticateApiKey(database.db, revoked.token)).resolves.toEqual({
      ok: false,
      reason: "revoked",
    });
    const audit = await database.sql<{ action: string }[]>`
      select action from audit_log where resource_id = ${revoked.key.id} order by seq`;
    expect(audit.map((row) => row.action)).toEqual(["api_key.create", "api_key.revoke"]);

    const expired = await createTestApiKey(database.db, {
      projectId,
      expiresAt: new Date(Date.now() - 1000),
    });
    await expect(authenticateApiKey(database.db, expired.token)).resolves.toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("restricts keys to their model allow-list", () => {
    expect(apiKeyAllowsModel({ modelAllowList: null }, "any")).toBe(true);
    expect(apiKeyAllowsModel({ modelAllowList: ["a"] }, "a")).toBe(true);
    expect(apiKeyAllowsModel({ modelAllowList: ["a"] }, "b")).toBe(false);
  });
});
