import { ensurePredictionPartitionsAround } from "@plumbline/db/partitions";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createFreshModel, startIngestHarness, type IngestHarness } from "../../../test/harness";
import { DatabaseGate } from "../../backpressure/database-gate";
import { PredictionGroupCommit } from "./prediction-group-commit";
import { preparePrediction } from "./prediction-rows";
import type { StoreRequest } from "./store-predictions";

let harness: IngestHarness;

/**
 * Every request in this file carries this one timestamp: a resend must be byte-for-byte the
 * original to count as a duplicate, and two `new Date()` calls on a loaded machine can fall in
 * different milliseconds, which would make it a conflict.
 */
const RECORD_TIME = new Date(Math.floor(Date.now() / 60_000) * 60_000);

beforeAll(async () => {
  harness = await startIngestHarness();
  await ensurePredictionPartitionsAround(harness.sql, RECORD_TIME);
});

afterAll(async () => {
  await harness?.close();
});

/** One group transaction per model at a time, so requests that arrive meanwhile queue up. */
function groupCommit() {
  const gate = new DatabaseGate({ concurrency: 4, maxQueued: 64, queueTimeoutMs: 20_000 });
  return new PredictionGroupCommit(harness.sql, gate, {
    maxGroupRecords: 100,
    queueTimeoutMs: 20_000,
  });
}

function storeRequest(
  model: { id: string; slug: string },
  ids: string[],
  options: { deployment?: "stable" | "shadow"; score?: number } = {},
): StoreRequest {
  const ts = RECORD_TIME;
  const prepared = ids.map((id, index) =>
    preparePrediction(
      index,
      model.id,
      {
        prediction_id: id,
        model: {
          id: model.slug,
          version: "1",
          deployment: options.deployment ?? "stable",
          environment: "production",
        },
        timestamp: ts.toISOString(),
        features: { amount: 1 },
        prediction: { score: options.score ?? 0.9 },
        status: "ok",
      },
      ts,
    ),
  );
  return {
    prepared,
    profilesOf: () => [],
    bookkeeping: {
      idempotency: null,
      finish: () => ({ response: { statusCode: 202, body: null }, counts: null }),
    },
  };
}

async function storedIds(modelId: string): Promise<string[]> {
  const rows = await harness.sql<{ prediction_id: string }[]>`
    select prediction_id from predictions where model_id = ${modelId} order by prediction_id`;
  return rows.map((row) => row.prediction_id);
}

async function rollupCount(modelId: string): Promise<number> {
  const [row] = await harness.sql<{ n: string | null }[]>`
    select sum(count) as n from prediction_rollups_minute where model_id = ${modelId}`;
  return Number(row?.n ?? 0);
}

/**
 * Holds an exclusive lock on the minute rollups, so the first write blocks at its rollup upsert
 * with its transaction open. Returns the release.
 */
async function blockRollups() {
  const blocker = await harness.sql.reserve();
  await blocker`begin`;
  await blocker`lock table prediction_rollups_minute in exclusive mode`;
  return async () => {
    await blocker`rollback`;
    blocker.release();
  };
}

/** A write whose settling can be watched, and whose outcome never rejects. */
function track<T>(promise: Promise<T>) {
  const state = { settled: false };
  const result = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  void result.then(() => (state.settled = true));
  return { state, result };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("PredictionGroupCommit", () => {
  it("commits queued requests of one model together and answers only after the COMMIT", async () => {
    const model = await createFreshModel(harness, "grouped");
    const writes = groupCommit();
    const begin = vi.spyOn(harness.sql, "begin");
    const release = await blockRollups();
    try {
      const first = track(writes.store(storeRequest(model, ["a-0", "a-1"])));
      await vi.waitFor(() => expect(begin).toHaveBeenCalledTimes(1));
      const queued = [1, 2, 3, 4].map((n) => track(writes.store(storeRequest(model, [`b-${n}`]))));
      await pause(300);
      expect([first, ...queued].some((write) => write.state.settled)).toBe(false);
      expect(await storedIds(model.id)).toEqual([]);
      await release();
      const results = await Promise.all([first, ...queued].map((write) => write.result));
      expect(results.every((result) => result.ok)).toBe(true);
      // The first write alone, then the four that queued behind it in one transaction.
      expect(begin).toHaveBeenCalledTimes(2);
    } finally {
      begin.mockRestore();
    }
    expect(await storedIds(model.id)).toEqual(["a-0", "a-1", "b-1", "b-2", "b-3", "b-4"]);
    expect(await rollupCount(model.id)).toBe(6);
  });

  it("keeps each request's duplicates and conflicts, as if they committed one after another", async () => {
    const model = await createFreshModel(harness, "grouped-dedup");
    const writes = groupCommit();
    const release = await blockRollups();
    const first = writes.store(storeRequest(model, ["first"]));
    const original = writes.store(storeRequest(model, ["x"], { score: 0.5 }));
    const retry = writes.store(storeRequest(model, ["x"], { score: 0.5 }));
    const changed = writes.store(storeRequest(model, ["x"], { score: 0.1 }));
    await pause(100);
    await release();
    await first;
    const outcomes = await Promise.all([original, retry, changed]);
    expect(
      outcomes.map(({ outcome }) => [
        outcome.accepted.length,
        outcome.duplicates.length,
        outcome.conflicts.length,
      ]),
    ).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(await storedIds(model.id)).toEqual(["first", "x"]);
  });

  it("fails a bad request alone: its group is retried one request at a time", async () => {
    const model = await createFreshModel(harness, "grouped-bad");
    const writes = groupCommit();
    // Shadow traffic makes the rollup upsert fail, after the rows were copied.
    await harness.sql`alter table prediction_rollups_minute
      add constraint test_group_no_shadow check (deployment <> 'shadow')`;
    try {
      const release = await blockRollups();
      const first = track(writes.store(storeRequest(model, ["ok-0"])));
      await pause(100);
      const good = [1, 2].map((n) => track(writes.store(storeRequest(model, [`ok-${n}`]))));
      const bad = track(writes.store(storeRequest(model, ["bad"], { deployment: "shadow" })));
      const last = track(writes.store(storeRequest(model, ["ok-3"])));
      await release();
      for (const write of [first, ...good, last]) expect((await write.result).ok).toBe(true);
      const failed = await bad.result;
      expect(failed.ok).toBe(false);
      expect(failed.ok ? null : (failed.error as { code?: string }).code).toBe("23514");
    } finally {
      await harness.sql`alter table prediction_rollups_minute drop constraint test_group_no_shadow`;
    }
    expect(await storedIds(model.id)).toEqual(["ok-0", "ok-1", "ok-2", "ok-3"]);
    expect(await rollupCount(model.id)).toBe(4);
  });

  it("sends every request of a model through its one writer, however large: one transaction at a time", async () => {
    const model = await createFreshModel(harness, "grouped-large");
    const writes = groupCommit();
    const begin = vi.spyOn(harness.sql, "begin");
    const release = await blockRollups();
    try {
      const small = track(writes.store(storeRequest(model, ["s-0"])));
      await vi.waitFor(() => expect(begin).toHaveBeenCalledTimes(1));
      // Bigger than a group: it goes alone, but only once the running transaction is done, so
      // it never contends with it for the model's rollup rows.
      const ids = Array.from({ length: 150 }, (_, n) => `l-${String(n).padStart(3, "0")}`);
      const large = track(writes.store(storeRequest(model, ids)));
      const next = track(writes.store(storeRequest(model, ["n-0"])));
      await pause(300);
      expect(begin).toHaveBeenCalledTimes(1);
      await release();
      expect((await small.result).ok).toBe(true);
      expect((await large.result).ok).toBe(true);
      expect((await next.result).ok).toBe(true);
      // The small one, the large one alone (it fills a group), then the one behind it.
      expect(begin).toHaveBeenCalledTimes(3);
    } finally {
      begin.mockRestore();
    }
    expect(await rollupCount(model.id)).toBe(152);
  });
});
