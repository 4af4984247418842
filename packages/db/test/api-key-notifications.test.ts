import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { API_KEY_NOTIFY_CHANNEL, createApiKey, revokeApiKey, touchApiKeys } from "../src/api-keys";
import { createProject } from "../src/factories";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let database: TestDatabase;
let projectId: string;
const heard: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  projectId = (await createProject(database.db)).id;
  await database.sql.listen(API_KEY_NOTIFY_CHANNEL, (payload) => heard.push(payload));
});
afterAll(async () => {
  await database.drop();
});

async function until(condition: () => boolean) {
  for (let attempt = 0; !condition() && attempt < 500; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("API key change notifications", () => {
  it("announce a created and a revoked key by its public id, once committed", async () => {
    const { key } = await createApiKey(
      database.db,
      { projectId, name: "announced", scopes: ["read"] },
      { type: "system" },
    );
    await until(() => heard.includes(key.keyId));
    expect(heard).toContain(key.keyId);

    heard.length = 0;
    await revokeApiKey(database.db, { projectId, apiKeyId: key.id }, { type: "system" });
    await until(() => heard.includes(key.keyId));
    expect(heard).toEqual([key.keyId]);
  });

  it("are not sent by a transaction that rolls back", async () => {
    const { key } = await createApiKey(
      database.db,
      { projectId, name: "rolled back", scopes: ["read"] },
      { type: "system" },
    );
    const marker = await createApiKey(
      database.db,
      { projectId, name: "marker", scopes: ["read"] },
      { type: "system" },
    );
    await until(() => heard.includes(marker.key.keyId));
    heard.length = 0;
    await expect(
      database.db.transaction(async (tx) => {
        await revokeApiKey(tx, { projectId, apiKeyId: key.id }, { type: "system" });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    // Notifications arrive in commit order: once the later one is heard, the earlier would be.
    await revokeApiKey(database.db, { projectId, apiKeyId: marker.key.id }, { type: "system" });
    await until(() => heard.includes(marker.key.keyId));
    expect(heard).toEqual([marker.key.keyId]);
  });
});

describe("touchApiKeys", () => {
  it("writes many keys' last use at once and never moves it backwards", async () => {
    const first = await createApiKey(
      database.db,
      { projectId, name: "first", scopes: ["read"] },
      { type: "system" },
    );
    const second = await createApiKey(
      database.db,
      { projectId, name: "second", scopes: ["read"] },
      { type: "system" },
    );
    const later = new Date("2026-06-01T12:00:00Z");
    const earlier = new Date("2026-06-01T11:00:00Z");
    await touchApiKeys(database.db, [
      { id: first.key.id, usedAt: later },
      { id: second.key.id, usedAt: earlier },
    ]);
    await touchApiKeys(database.db, [{ id: first.key.id, usedAt: earlier }]);
    const rows = await database.sql<{ id: string; used: string }[]>`
      select id, to_char(last_used_at at time zone 'UTC', 'HH24:MI') as used from api_keys
      where id in ${database.sql([first.key.id, second.key.id])}`;
    const used = Object.fromEntries(rows.map((row) => [row.id, row.used]));
    expect(used).toEqual({ [first.key.id]: "12:00", [second.key.id]: "11:00" });
  });
});
