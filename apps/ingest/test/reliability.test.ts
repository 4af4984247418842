import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createDatabase } from "@plumbline/db/client";
import { startEmbeddedPostgres } from "@plumbline/db/embedded";
import {
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
} from "@plumbline/db/factories";
import { migrateDatabase } from "@plumbline/db/migrate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { predictionRecord, startIngestHarness, type IngestHarness } from "./harness";

const appDirectory = fileURLToPath(new URL("..", import.meta.url));

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
});

afterAll(async () => {
  await harness.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function startService(
  databaseUrl: string,
  port: number,
  extraEnv: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: appDirectory,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "error",
      INGEST_RATE_LIMIT_PER_SECOND: "100000",
      INGEST_RATE_LIMIT_BURST: "100000",
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitUntilReady(url: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not become ready`);
}

interface PlannedRequest {
  key: string;
  body: string;
  ids: string[];
}

/** Batches of `size` records for `model`, each with its own Idempotency-Key. */
function plan(model: string, batches: number, size: number): PlannedRequest[] {
  return Array.from({ length: batches }, (_, b) => {
    const records = Array.from({ length: size }, () =>
      predictionRecord({ model: { id: model, version: "1" } }),
    );
    return {
      key: `${model}-batch-${b}`,
      body: JSON.stringify({ records }),
      ids: records.map((r) => r.prediction_id),
    };
  });
}

async function send(url: string, token: string, request: PlannedRequest): Promise<number> {
  try {
    const response = await fetch(`${url}/v1/predictions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": request.key,
      },
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0; // The connection died: the client does not know whether it was stored.
  }
}

/** Drives requests with `workers` concurrent clients; returns the status of each request. */
async function drive(
  url: string,
  token: string,
  requests: PlannedRequest[],
  workers: number,
  onStatus: (statuses: Map<PlannedRequest, number>) => void = () => undefined,
) {
  const statuses = new Map<PlannedRequest, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < requests.length) {
        const request = requests[next]!;
        next += 1;
        statuses.set(request, await send(url, token, request));
        onStatus(statuses);
      }
    }),
  );
  return statuses;
}

async function storedIds(sql: IngestHarness["sql"], modelId: string) {
  const rows = await sql<
    { prediction_id: string }[]
  >`select prediction_id from predictions where model_id = ${modelId}`;
  return rows.map((row) => row.prediction_id);
}

/**
 * The rollups of `modelId` equal a recount from its raw rows, minute by minute (count, scores,
 * errors, latencies), and the hour rollups equal their minutes: nothing counted twice or lost
 * across the kills and the retries.
 */
async function expectRollupsMatchRawRows(sql: IngestHarness["sql"], modelId: string) {
  const recount = await sql<{ key: string; totals: string }[]>`
    select date_bin('1 minute', ts, timestamptz 'epoch')::text || ' ' || version || ' ' || deployment as key,
      concat_ws(' ', count(*), count(score), round(coalesce(sum(score), 0)::numeric, 6),
        count(*) filter (where status = 'error'), count(latency_ms)) as totals
    from predictions where model_id = ${modelId} group by 1 order by 1`;
  const minutes = await sql<{ key: string; totals: string }[]>`
    select minute::text || ' ' || version || ' ' || deployment as key,
      concat_ws(' ', count, score_count, round(score_sum::numeric, 6), error_count, latency_count)
        as totals
    from prediction_rollups_minute where model_id = ${modelId} order by 1`;
  expect(minutes).toEqual(recount);
  const hours = await sql<{ hours: string; minutes: string }[]>`
    select (select sum(count)::text from prediction_rollups_hour where model_id = ${modelId}) as hours,
      (select sum(count)::text from prediction_rollups_minute where model_id = ${modelId}) as minutes`;
  expect(hours[0]?.hours).toBe(hours[0]?.minutes);
}

describe("reliability", () => {
  it("loses nothing acknowledged when ingest is killed with SIGKILL mid-load, and retries do not duplicate", async () => {
    const model = await createModel(harness.db, {
      projectId: harness.project.id,
      slug: "sigkill-model",
    });
    await createModelVersion(harness.db, { modelId: model.id, version: "1" });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const requests = plan("sigkill-model", 120, 200);
    let child = startService(harness.database.url, port);
    try {
      await waitUntilReady(url);
      // Killed once a few batches were acknowledged, with others in flight and many unsent.
      const first = await drive(url, harness.token, requests, 4, (statuses) => {
        const acknowledged = [...statuses.values()].filter((status) => status === 202).length;
        if (acknowledged >= 8 && child.exitCode === null) child.kill("SIGKILL");
      });
      const acknowledged = [...first].filter(([, status]) => status === 202);
      const unanswered = [...first].filter(([, status]) => status !== 202);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(unanswered.length).toBeGreaterThan(0);
      const afterKill = new Set(await storedIds(harness.sql, model.id));
      for (const [request] of acknowledged)
        for (const id of request.ids) expect(afterKill.has(id)).toBe(true);

      // The client retries everything it was not sure about, with the same Idempotency-Keys,
      // and even re-sends acknowledged batches: nothing is stored twice.
      child = startService(harness.database.url, port);
      await waitUntilReady(url);
      const retried = await drive(url, harness.token, requests, 4);
      expect([...retried.values()].every((status) => status === 202)).toBe(true);
      const ids = await storedIds(harness.sql, model.id);
      expect(ids.length).toBe(120 * 200);
      expect(new Set(ids).size).toBe(ids.length);
      const [rollup] = await harness.sql<{ count: string }[]>`
        select sum(count)::text as count from prediction_rollups_minute where model_id = ${model.id}`;
      expect(Number(rollup?.count)).toBe(120 * 200);
      await expectRollupsMatchRawRows(harness.sql, model.id);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("answers 503 while PostgreSQL restarts, recovers by itself, and loses nothing acknowledged", async () => {
    const dataRoot = mkdtempSync(path.join(tmpdir(), "plumbline-ingest-restart-"));
    const dataDir = path.join(dataRoot, "pg");
    const port = 55_000 + Math.floor(Math.random() * 5_000);
    const quiet = () => undefined;
    let server = await startEmbeddedPostgres({ dataDir, port, log: quiet });
    const url = server.url;
    await migrateDatabase(url);
    const { db, sql } = createDatabase(url, { max: 2 });
    const ingestPort = await freePort();
    const ingestUrl = `http://127.0.0.1:${ingestPort}`;
    // The real service, in its own process: it must also survive the restart without crashing.
    const child = startService(url, ingestPort, {
      DATABASE_POOL_MAX: "4",
      INGEST_DB_QUEUE_MAX: "16",
      INGEST_DB_QUEUE_TIMEOUT_MS: "1000",
    });
    try {
      const project = await createProject(db);
      const model = await createModel(db, { projectId: project.id, slug: "restart-model" });
      await createModelVersion(db, { modelId: model.id, version: "1" });
      const { token } = await createTestApiKey(db, {
        projectId: project.id,
        scopes: ["predictions:write"],
      });
      await waitUntilReady(ingestUrl);

      const requests = plan("restart-model", 400, 20);
      const statuses: number[] = [];
      const retryAfter: string[] = [];
      const acknowledged: PlannedRequest[] = [];
      let stop = false;
      const load = (async () => {
        for (const request of requests) {
          if (stop) break;
          const response = await fetch(`${ingestUrl}/v1/predictions`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              "idempotency-key": request.key,
            },
            body: request.body,
          });
          await response.arrayBuffer();
          statuses.push(response.status);
          if (response.status === 503) retryAfter.push(response.headers.get("retry-after") ?? "");
          if (response.status === 202) acknowledged.push(request);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 600));
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      server = await startEmbeddedPostgres({ dataDir, port, log: quiet });
      // Keep loading until the service has answered 202 again for a while.
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && statuses.slice(-10).filter((s) => s === 202).length < 10) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      stop = true;
      await load;

      expect(child.exitCode).toBeNull();
      expect(statuses).toContain(503);
      expect(statuses.every((status) => status === 202 || status === 503)).toBe(true);
      expect(retryAfter.every((value) => Number(value) >= 1)).toBe(true);
      expect(statuses.slice(-10)).toEqual(Array.from({ length: 10 }, () => 202));
      const stored = new Set(
        (
          await sql<
            { prediction_id: string }[]
          >`select prediction_id from predictions where model_id = ${model.id}`
        ).map((r) => r.prediction_id),
      );
      for (const request of acknowledged)
        for (const id of request.ids) expect(stored.has(id)).toBe(true);
    } finally {
      child.kill("SIGKILL");
      await sql.end({ timeout: 2 });
      await server.stop();
      rmSync(dataRoot, { recursive: true, force: true });
    }
  });
});
