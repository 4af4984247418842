import { generateApiKey } from "@plumbline/db/api-keys";
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

const FLOOD_REQUESTS = 4_000;
const FLOOD_CONCURRENCY = 200;
const FLOOD_ADDRESS = "203.0.113.66";

let harness: IngestHarness;
let app: FastifyInstance;
const metrics = new IngestMetrics();

beforeAll(async () => {
  harness = await startIngestHarness();
  // The service's defaults for keys (30 s lifetime, 5 failures/s and 50 at once per address).
  app = buildIngestApp({
    db: harness.db,
    sql: harness.sql,
    metrics,
    rateLimit: { perSecond: 100_000, burst: 100_000 },
  });
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

function count(statuses: number[]) {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe("a flood of made-up API keys", () => {
  it("costs valid keys nothing: every valid request is answered, the flood gets 401 or 429", async () => {
    const cold = await createKey(harness.db, harness.project.id);
    // The valid key in use before the flood (until the cache serves it), sent from the flooding
    // address itself.
    for (let attempt = 0; (await lookups(metrics, "hit")) === 0; attempt += 1) {
      expect(attempt).toBeLessThan(200);
      const warm = await postPredictions(app, harness.token, { records: [predictionRecord()] });
      expect(warm.statusCode).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const floodStatuses: number[] = [];
    const retryAfter = new Set<string>();
    let sent = 0;
    let flooding = true;
    const flood = Promise.all(
      Array.from({ length: FLOOD_CONCURRENCY }, async () => {
        while (sent < FLOOD_REQUESTS) {
          sent += 1;
          // Injected requests answered from memory never yield to I/O; real ones arrive by it.
          await new Promise((resolve) => setImmediate(resolve));
          const response = await app.inject({
            method: "POST",
            url: "/v1/predictions",
            remoteAddress: FLOOD_ADDRESS,
            headers: {
              authorization: `Bearer ${generateApiKey().token}`,
              "content-type": "application/json",
            },
            payload: JSON.stringify({ records: [predictionRecord()] }),
          });
          floodStatuses.push(response.statusCode);
          if (response.statusCode === 429) retryAfter.add(String(response.headers["retry-after"]));
        }
      }),
    ).finally(() => (flooding = false));

    // Valid requests interleaved with the flood: the warm key from the flooding address, and a
    // key first used during the flood from another address.
    const validStatuses: number[] = [];
    /** Valid requests sent while the flood was still going. */
    let validDuringFlood = 0;
    const valid = (async () => {
      for (let round = 0; (flooding || round < 20) && round < 5_000; round += 1) {
        if (flooding) validDuringFlood += 2;
        const [fromFlooder, fromElsewhere] = await Promise.all([
          app.inject({
            method: "POST",
            url: "/v1/predictions",
            remoteAddress: FLOOD_ADDRESS,
            headers: {
              authorization: `Bearer ${harness.token}`,
              "content-type": "application/json",
            },
            payload: JSON.stringify({ records: [predictionRecord()] }),
          }),
          app.inject({
            method: "POST",
            url: "/v1/predictions",
            remoteAddress: "198.51.100.7",
            headers: {
              authorization: `Bearer ${cold.token}`,
              "content-type": "application/json",
            },
            payload: JSON.stringify({ records: [predictionRecord()] }),
          }),
        ]);
        validStatuses.push(fromFlooder.statusCode, fromElsewhere.statusCode);
      }
    })();
    await Promise.all([flood, valid]);

    expect(validDuringFlood).toBeGreaterThan(0);
    expect(count(validStatuses)).toEqual({ 202: validStatuses.length });
    const floodCounts = count(floodStatuses);
    expect(Object.keys(floodCounts).sort()).toEqual(["401", "429"]);
    expect(floodStatuses).toHaveLength(FLOOD_REQUESTS);
    expect([...retryAfter].every((seconds) => Number(seconds) >= 1)).toBe(true);

    // Most made-up keys were refused before any lookup: the database saw a bounded number.
    expect(await lookups(metrics, "miss")).toBeLessThan(FLOOD_REQUESTS / 4);
    const refused = (await metrics.authRefusedByAddress.get()).values[0]?.value ?? 0;
    expect(refused).toBe(floodCounts[429]);
  });

  it("writes last_used_at off the request path, once per key, by the time the app closes", async () => {
    const { key, token } = await createKey(harness.db, harness.project.id, { scopes: ["read"] });
    for (let i = 0; i < 10; i += 1) {
      const response = await app.inject({
        method: "GET",
        url: "/v1/ingest/status",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
    }
    await app.close();
    const [row] = await harness.sql<{ last_used_at: string | null }[]>`
      select last_used_at from api_keys where id = ${key.id}`;
    expect(row!.last_used_at).not.toBeNull();
  });
});
