import { generateApiKey, revokeApiKey } from "@plumbline/db/api-keys";
import { createDatabase } from "@plumbline/db/client";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildIngestApp } from "../src/app";
import { IngestMetrics } from "../src/metrics/ingest-metrics";
import {
  createKey,
  lookups,
  postPredictions,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

const UNAUTHORIZED_MESSAGE =
  "Missing or invalid API key: send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`";
/** Long enough that within a test only an invalidation can make the cache read a key again. */
const TEN_MINUTES = 10 * 60_000;

function status(app: FastifyInstance, token: string, remoteAddress = "127.0.0.1") {
  return app.inject({
    method: "GET",
    url: "/v1/ingest/status",
    headers: { authorization: `Bearer ${token}` },
    remoteAddress,
  });
}

/**
 * Sends requests with `token` until one is answered from the cache: the cache stores keys only
 * once it listens for their changes, which starts with the app.
 */
async function untilCached(app: FastifyInstance, metrics: IngestMetrics, token: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const hits = await lookups(metrics, "hit");
    const response = await status(app, token);
    expect(response.statusCode).toBe(200);
    if ((await lookups(metrics, "hit")) > hits) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the key was never served from the cache");
}

describe("API key cache", () => {
  let harness: IngestHarness;
  const metrics = new IngestMetrics();

  beforeAll(async () => {
    harness = await startIngestHarness({ metrics, apiKeys: { cacheTtlMs: TEN_MINUTES } });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("reads a valid key once, then checks every request's secret against the cached row", async () => {
    const { token } = await createKey(harness.db, harness.project.id, { scopes: ["read"] });
    await untilCached(harness.app, metrics, token);
    const misses = await lookups(metrics, "miss");
    for (let i = 0; i < 20; i += 1) expect((await status(harness.app, token)).statusCode).toBe(200);
    // A wrong secret under the same key id is refused from the cached row, with the same 401.
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    const refused = await status(harness.app, forged);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ message: UNAUTHORIZED_MESSAGE });
    expect(await lookups(metrics, "miss")).toBe(misses);
  });

  it("remembers an unknown key id for a while instead of asking the database each time", async () => {
    const { token } = generateApiKey();
    const misses = await lookups(metrics, "miss");
    const negativeHits = await lookups(metrics, "negative_hit");
    for (let i = 0; i < 5; i += 1) {
      const response = await status(harness.app, token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ message: UNAUTHORIZED_MESSAGE });
    }
    expect(await lookups(metrics, "miss")).toBe(misses + 1);
    expect(await lookups(metrics, "negative_hit")).toBe(negativeHits + 4);
  });

  it("refuses a key within 1 s of its revocation, with the same 401 as an unknown key", async () => {
    const { key, token } = await createKey(harness.db, harness.project.id, {
      scopes: ["predictions:write"],
    });
    await untilCached(harness.app, metrics, token);
    expect(
      (await postPredictions(harness.app, token, { records: [predictionRecord()] })).statusCode,
    ).toBe(202);

    await revokeApiKey(
      harness.db,
      { projectId: harness.project.id, apiKeyId: key.id },
      { type: "system" },
    );
    const revokedAt = performance.now();
    let answer = await status(harness.app, token);
    while (answer.statusCode === 200 && performance.now() - revokedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      answer = await status(harness.app, token);
    }
    const elapsedMs = performance.now() - revokedAt;
    expect(answer.statusCode).toBe(401);
    expect(elapsedMs).toBeLessThan(1_000);
    const unknown = await status(harness.app, generateApiKey().token);
    expect(answer.json()).toEqual(unknown.json());
    expect(answer.headers["www-authenticate"]).toBe(unknown.headers["www-authenticate"]);
    expect(
      (await postPredictions(harness.app, token, { records: [predictionRecord()] })).statusCode,
    ).toBe(401);
  });

  it("drops the whole cache when the LISTEN connection reconnects", async () => {
    const { key, token } = await createKey(harness.db, harness.project.id, { scopes: ["read"] });
    await untilCached(harness.app, metrics, token);
    // Revoked behind the service's back (no notification): the cached row still answers.
    await harness.sql`update api_keys set revoked_at = now() where id = ${key.id}`;
    expect((await status(harness.app, token)).statusCode).toBe(200);

    const terminated = await harness.sql<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`;
    expect(terminated).toHaveLength(1);
    await harness.sql`select pg_terminate_backend(${terminated[0]!.pid})`;

    // postgres.js reconnects and LISTENs again; the cache is dropped, the row read afresh.
    let answer = await status(harness.app, token);
    for (let attempt = 0; answer.statusCode === 200 && attempt < 500; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await status(harness.app, token);
    }
    expect(answer.statusCode).toBe(401);
    const listeners = await harness.sql`
      select pid from pg_stat_activity
      where datname = current_database() and query ilike 'listen %'`;
    expect(listeners).toHaveLength(1);
  });
});

describe("API key expiry from the cache", () => {
  let harness: IngestHarness;
  const metrics = new IngestMetrics();
  let clock = Date.now();

  beforeAll(async () => {
    harness = await startIngestHarness({
      metrics,
      apiKeys: { cacheTtlMs: TEN_MINUTES, now: () => clock },
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("refuses a cached key once its expires_at has passed, without reading it again", async () => {
    const { token } = await createKey(harness.db, harness.project.id, {
      scopes: ["read"],
      expiresAt: new Date(clock + 60_000),
    });
    await untilCached(harness.app, metrics, token);
    const misses = await lookups(metrics, "miss");
    clock += 59_000;
    expect((await status(harness.app, token)).statusCode).toBe(200);
    clock += 1_000;
    const expired = await status(harness.app, token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ message: UNAUTHORIZED_MESSAGE });
    expect(await lookups(metrics, "miss")).toBe(misses);
  });
});

describe("API key lookups and writes", () => {
  let harness: IngestHarness;
  let app: FastifyInstance;
  let lookupDatabase: ReturnType<typeof createDatabase>;

  beforeAll(async () => {
    harness = await startIngestHarness();
    // As in the service: key lookups get connections of their own; writes get one at a time.
    lookupDatabase = createDatabase(harness.database.url, { max: 2 });
    app = buildIngestApp({
      db: harness.db,
      sql: harness.sql,
      rateLimit: { perSecond: 100_000, burst: 100_000 },
      database: { concurrency: 1, maxQueued: 1, queueTimeoutMs: 60_000 },
      apiKeys: { database: lookupDatabase },
    });
  });
  afterAll(async () => {
    await app.close();
    await lookupDatabase.sql.end();
    await harness.close();
  });

  it("authenticates a key never seen before while every write waits for a lock", async () => {
    const writer = await harness.sql.reserve();
    await writer`begin`;
    await writer`lock table predictions in access exclusive mode`;
    const writes: Promise<{ statusCode: number }>[] = [];
    try {
      // Writes pile up behind the lock until the write gate (1 running, 1 waiting) refuses one.
      let saturated = false;
      for (let attempt = 0; attempt < 50 && !saturated; attempt += 1) {
        const write = postPredictions(app, harness.token, {
          records: [predictionRecord()],
        });
        writes.push(write);
        const first = await Promise.race([
          write,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 50)),
        ]);
        saturated = first?.statusCode === 503;
      }
      expect(saturated).toBe(true);

      // A key the cache has never seen is read through its own connections: answered at once.
      const reader = await createKey(harness.db, harness.project.id, { scopes: ["read"] });
      const refused = await postPredictions(app, reader.token, {
        records: [predictionRecord()],
      });
      expect(refused.statusCode).toBe(403);
      expect((await status(app, generateApiKey().token)).statusCode).toBe(401);
    } finally {
      await writer`rollback`;
      writer.release();
    }
    const answered = await Promise.all(writes);
    expect(answered.every((write) => [202, 503].includes(write.statusCode))).toBe(true);
  });
});
