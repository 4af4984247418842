// `pnpm --filter @plumbline/bench exec tsx ingest/key-flood.ts`: what a flood of made-up API keys
// costs the requests of a valid key. Starts the ingest service against a fresh database, sends
// single-record requests with a valid key at a steady rate, first alone, then while another
// process sends 20,000 requests with random well-formed keys at 200 concurrent (all from the
// same address as the valid key). Prints the share of valid-key requests answered 202 and their
// p99 in both phases, and how the flood was answered. The last line reads
//   key-flood: valid key <share> answered 202 with the flood (p99 <ms> ms), <share> without (p99 <ms> ms)
// Uses DATABASE_URL when set (a fresh database is created on that server), otherwise an embedded
// PostgreSQL under the OS temp folder on PLUMBLINE_EMBEDDED_PORT (default 54331).
// KEY_FLOOD_REQUESTS (20000), KEY_FLOOD_CONCURRENCY (200) and KEY_FLOOD_VALID_RATE (50 requests/s)
// change the load; BENCH_PROFILE_DIR runs the service with `--cpu-prof` and writes its profile
// there. Never a timed assertion: it reports what this machine reaches.
import http from "node:http";
import { fileURLToPath } from "node:url";

import { createApiKey, generateApiKey } from "@plumbline/db/api-keys";
import { createDatabase } from "@plumbline/db/client";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import { ensurePredictionPartitionsAround } from "@plumbline/db/partitions";
import postgres from "postgres";

import { prepareBenchDatabase } from "./bench-database";
import { percentile, runJsonChild, startIngestService, type IngestService } from "./bench-service";

const floodRequests = Number(process.env.KEY_FLOOD_REQUESTS ?? 20_000);
const floodConcurrency = Number(process.env.KEY_FLOOD_CONCURRENCY ?? 200);
const validRate = Number(process.env.KEY_FLOOD_VALID_RATE ?? 50);
const quietSeconds = 5;
const log = (line: string) => console.log(line);

interface Answer {
  status: number;
  ms: number;
}

function post(agent: http.Agent, url: URL, token: string, body: string): Promise<Answer> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: "/v1/predictions",
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0, ms: elapsed() }));
      },
    );
    request.on("error", () => resolve({ status: 0, ms: elapsed() }));
    request.end(body);
  });
}

function record(runId: string, sequence: number): string {
  return JSON.stringify({
    model: { id: "flood-model", version: "1" },
    records: [
      {
        prediction_id: `${runId}-${sequence}`,
        timestamp: new Date().toISOString(),
        features: { amount: (sequence % 1000) / 10, country: sequence % 2 ? "FR" : "DE" },
        prediction: { label: sequence % 3 ? "legit" : "fraud", score: (sequence % 100) / 100 },
      },
    ],
  });
}

function statusCounts(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function p99(answers: Answer[]): number {
  return percentile(
    answers.map((answer) => answer.ms).sort((a, b) => a - b),
    0.99,
  );
}

/** The flood, run as its own process: `tsx key-flood.ts flood <url> <requests> <concurrency>`. */
async function flood(url: URL, requests: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const body = record("flood", 0);
  const answers: Answer[] = [];
  let sent = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        sent += 1;
        answers.push(await post(agent, url, generateApiKey().token, body));
      }
    }),
  );
  agent.destroy();
  console.log(
    JSON.stringify({
      seconds: (Date.now() - started) / 1000,
      statuses: statusCounts(answers),
      p99: p99(answers),
    }),
  );
}

/** Valid-key requests at `rate`/s (open loop) until `until` resolves or `seconds` pass. */
async function validLoad(
  url: URL,
  token: string,
  rate: number,
  stop: { done: boolean },
  runId: string,
): Promise<Answer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const pending: Promise<Answer>[] = [];
  const started = performance.now();
  for (let sent = 0; !stop.done; sent += 1) {
    const wait = started + (sent * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(post(agent, url, token, record(runId, sent)));
  }
  const answers = await Promise.all(pending);
  agent.destroy();
  return answers;
}

function runFlood(url: URL) {
  return runJsonChild<{ seconds: number; statuses: Record<string, number>; p99: number }>(
    fileURLToPath(import.meta.url),
    ["flood", url.href, String(floodRequests), String(floodConcurrency)],
    "the flood",
  );
}

async function main() {
  const database = await prepareBenchDatabase("plumbline_key_flood", log);
  let service: IngestService | null = null;
  try {
    const { db, sql } = createDatabase(database.url, { max: 2 });
    await ensurePredictionPartitionsAround(sql, new Date());
    const project = await createProject(db, { slug: "flood" });
    const model = await createModel(db, { projectId: project.id, slug: "flood-model" });
    await createModelVersion(db, { modelId: model.id, version: "1" });
    const { token } = await createApiKey(
      db,
      { projectId: project.id, name: "valid", scopes: ["predictions:write"] },
      { type: "system" },
    );
    await sql.end();

    service = await startIngestService(database.url);
    const url = new URL(service.url);
    // Warm-up: JIT, connections, and the key in use before anything else happens.
    const warmStop = { done: false };
    setTimeout(() => (warmStop.done = true), 2_000);
    await validLoad(url, token, validRate, warmStop, `warm-${Date.now()}`);

    log(`valid key alone: ${validRate} requests/s for ${quietSeconds} s ...`);
    const quietStop = { done: false };
    setTimeout(() => (quietStop.done = true), quietSeconds * 1000);
    const quiet = await validLoad(url, token, validRate, quietStop, `quiet-${Date.now()}`);
    const quietShare = (statusCounts(quiet)["202"] ?? 0) / quiet.length;
    log(
      `  ${statusCounts(quiet)["202"] ?? 0} of ${quiet.length} answered 202, p99 ${p99(quiet).toFixed(1)} ms, statuses ${JSON.stringify(statusCounts(quiet))}`,
    );

    log(
      `valid key during a flood of ${floodRequests.toLocaleString("en")} random well-formed keys at ${floodConcurrency} concurrent ...`,
    );
    const floodStop = { done: false };
    const floodDone = runFlood(url).finally(() => (floodStop.done = true));
    const during = await validLoad(url, token, validRate, floodStop, `flood-${Date.now()}`);
    const flooded = await floodDone;
    const duringShare = (statusCounts(during)["202"] ?? 0) / during.length;
    log(
      `  flood: ${Math.round(floodRequests / flooded.seconds)} requests/s for ${flooded.seconds.toFixed(1)} s, p99 ${flooded.p99.toFixed(1)} ms, statuses ${JSON.stringify(flooded.statuses)}`,
    );
    log(
      `  valid key: ${statusCounts(during)["202"] ?? 0} of ${during.length} answered 202, p99 ${p99(during).toFixed(1)} ms, statuses ${JSON.stringify(statusCounts(during))}`,
    );
    log(
      `key-flood: valid key ${duringShare.toFixed(3)} answered 202 with the flood (p99 ${p99(during).toFixed(1)} ms), ${quietShare.toFixed(3)} without (p99 ${p99(quiet).toFixed(1)} ms)`,
    );
  } finally {
    await service?.stop();
    await database.stop();
  }
}

const [mode, floodUrl, requests, concurrency] = process.argv.slice(2);
if (mode === "flood") await flood(new URL(floodUrl!), Number(requests), Number(concurrency));
else await main();
