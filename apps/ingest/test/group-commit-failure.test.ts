import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createFreshModel,
  postPredictions,
  predictionRecord,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

let harness: IngestHarness;
/**
 * The test's own connection for watching and terminating backends: a query on the app's pool
 * could be queued on the very connection it terminates.
 */
let control: postgres.Sql;

beforeAll(async () => {
  harness = await startIngestHarness();
  control = postgres(harness.database.url, { max: 1, onnotice: () => undefined });
});

afterAll(async () => {
  await control?.end({ timeout: 1 });
  // Connections this test terminated can leave the pool waiting on them: end it without waiting.
  await harness?.app.close();
  await harness?.sql.end({ timeout: 1 });
  await harness?.database.drop();
});

/** Holds the minute rollups locked, so a write's transaction stops at its rollup upsert. */
async function blockRollups() {
  const blocker = postgres(harness.database.url, { max: 1, onnotice: () => undefined });
  const reserved = await blocker.reserve();
  await reserved`begin`;
  await reserved`lock table prediction_rollups_minute in exclusive mode`;
  return async () => {
    await reserved`rollback`;
    reserved.release();
    await blocker.end();
  };
}

/** Backends of this database waiting for the rollup lock: the write transactions it stopped. */
async function blockedWriters(): Promise<number[]> {
  const rows = await control<{ pid: number }[]>`
    select pid from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
  return rows.map((row) => row.pid);
}

async function waitForBlockedWriters(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const pids = await blockedWriters();
    if (pids.length >= count) return pids;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${count} blocked writer(s) appeared`);
}

async function terminate(pids: number[]) {
  for (const pid of pids) await control`select pg_terminate_backend(${pid})`;
}

describe("group commit when its transaction dies", () => {
  it("answers every request of the group with a retryable 503, and retries with the same Idempotency-Keys store each record once", async () => {
    const model = await createFreshModel(harness, "dying-group");
    const batches = ["a", "b", "c", "d"].map((name) => ({
      key: `dying-${name}`,
      body: {
        records: [0, 1, 2].map((n) =>
          predictionRecord({
            prediction_id: `${name}-${n}`,
            model: { id: "dying-group", version: "1" },
          }),
        ),
      },
    }));
    const send = (batch: (typeof batches)[number]) =>
      postPredictions(harness.app, harness.token, batch.body, { "idempotency-key": batch.key });

    const release = await blockRollups();
    let responses: Awaited<ReturnType<typeof send>>[];
    let killed = 0;
    try {
      // The first request's transaction stops at the lock, and the others queue behind it.
      const first = send(batches[0]!);
      await waitForBlockedWriters(1);
      const rest = batches.slice(1).map(send);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Each transaction that reaches the lock loses its connection, until every request has
      // its answer: the first alone, then the queued ones together in the next transaction.
      let settled = false;
      const all = Promise.all([first, ...rest]).finally(() => (settled = true));
      while (!settled) {
        const pids = await blockedWriters();
        if (pids.length > 0) {
          await terminate(pids);
          killed += pids.length;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      responses = await all;
    } finally {
      await release();
    }

    // Some transaction carried several requests, and every request of every failed
    // transaction was answered with a retryable error.
    expect(killed).toBeGreaterThan(0);
    expect(killed).toBeLessThan(batches.length);
    for (const response of responses) {
      expect(response.statusCode).toBe(503);
      expect(response.headers["retry-after"]).toBeDefined();
    }
    const [before] = await harness.sql<{ n: number }[]>`
      select count(*)::int as n from predictions where model_id = ${model.id}`;
    expect(before?.n).toBe(0);

    // The client retries each request with its Idempotency-Key (again while it is told to, as
    // the pool replaces the connections that died), then once more: stored once each.
    const retry = async (batch: (typeof batches)[number]) => {
      for (let attempt = 0; ; attempt += 1) {
        const response = await send(batch);
        if (response.statusCode !== 503 || attempt === 10) return response;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    for (let round = 0; round < 2; round += 1) {
      const retried = await Promise.all(batches.map(retry));
      for (const response of retried) {
        expect(response.statusCode).toBe(202);
        expect(response.json()).toMatchObject({ accepted: 3, duplicates: 0 });
      }
    }
    const stored = await harness.sql<{ prediction_id: string }[]>`
      select prediction_id from predictions where model_id = ${model.id} order by prediction_id`;
    expect(stored.map((row) => row.prediction_id)).toEqual(
      ["a", "b", "c", "d"].flatMap((name) => [0, 1, 2].map((n) => `${name}-${n}`)),
    );
    const [rollup] = await harness.sql<{ n: number }[]>`
      select sum(count)::int as n from prediction_rollups_minute where model_id = ${model.id}`;
    expect(rollup?.n).toBe(12);
  });
});
