// `pnpm bench:ingest`: the ingest service under load from a separate process, against the raw
// COPY ceiling of the same table (one stream, and as many streams as the service writes with),
// measured in the same run, with what each part of the raw table costs per row. Prints figures;
// the second-to-last figure line and the last line are
//   single: <answered>/s answered 202 of <offered>/s offered, p99 <ms> ms
//   ingest: <records/s> records/s, <ratio> of COPY ceiling, p99 <ms> ms
// (the ratio is against the one-stream ceiling).
// Uses DATABASE_URL when set (a fresh database is created on that server), otherwise an
// embedded PostgreSQL under the OS temp folder on PLUMBLINE_EMBEDDED_PORT (default 54331), one
// data folder per port so that parallel runs do not share a cluster. BENCH_SECONDS shortens the
// load phase (60 s), BENCH_SINGLE_RATE sets the single-record requests/s (1000).
// BENCH_COPY_STREAMS sets the parallel COPY streams measured besides one (2, the cores here);
// BENCH_TABLE_COST=0 skips the per-part table cost. BENCH_PROFILE_DIR writes a V8 CPU profile of the service there
// (`node --cpu-prof`), to open in Chrome DevTools or speedscope.
// Never a timed assertion: it reports what this machine reaches.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createApiKey } from "@plumbline/db/api-keys";
import { createDatabase } from "@plumbline/db/client";
import { createModel, createModelVersion, createProject } from "@plumbline/db/factories";
import { ensurePredictionPartitionsAround } from "@plumbline/db/partitions";
import postgres from "postgres";

import { prepareBenchDatabase } from "./bench-database";
import { runJsonChild, startIngestService, type IngestService } from "./bench-service";

import { PREDICTION_COPY_COLUMNS } from "../../apps/ingest/src/services/predictions/prediction-rows";
import { copyRate, measureTableCost, predictionCopyChunks } from "./table-cost";

const here = path.dirname(fileURLToPath(import.meta.url));

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 6);
const singleRate = Number(process.env.BENCH_SINGLE_RATE ?? 1000);
const cores = availableParallelism();
const copyStreams = Number(process.env.BENCH_COPY_STREAMS ?? 2);
const singleSeconds = Math.max(5, Math.min(15, Math.round(seconds / 4)));
const log = (line: string) => console.log(line);

const FEATURE_SCHEMA = {
  ...Object.fromEntries(
    Array.from({ length: 16 }, (_, f) => [`num_${f}`, { type: "numeric" as const }]),
  ),
  country: { type: "categorical" as const },
  channel: { type: "categorical" as const },
  device: { type: "categorical" as const },
  tier: { type: "categorical" as const },
};

/** A reference dataset of 5,000 rows, so every record is binned against real profiles. */
function referenceCsv(): string {
  const countries = ["FR", "DE", "ES", "IT", "NL", "PL", "SE", "US", "GB"];
  const lines = [[...Object.keys(FEATURE_SCHEMA), "prediction", "score"].join(",")];
  for (let row = 0; row < 5_000; row += 1) {
    const numbers = Array.from(
      { length: 16 },
      (_, f) => ((row * 7919 + f * 104_729) % 100_000) / 100,
    );
    const score = (row % 1000) / 1000;
    lines.push(
      [
        ...numbers,
        countries[row % countries.length],
        ["web", "app", "pos"][row % 3],
        row % 2 ? "ios" : "android",
        row % 5 ? "standard" : "gold",
        score > 0.5 ? "fraud" : "legit",
        score,
      ].join(","),
    );
  }
  return lines.join("\n");
}

function rssMegabytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used, from /proc (0 once it is gone). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Watches the database's backends during a phase: their CPU seconds (from /proc, so it needs
 * the server on this machine) and, every 50 ms, what each active one waits on, to tell lock
 * waits on shared rows from CPU, I/O and waiting for the client.
 */
function watchDatabase(url: string) {
  const watcher = postgres(url, { max: 1, onnotice: () => undefined });
  const started = new Map<number, number>();
  const waits: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await watcher<{ pid: number; wait: string | null; state: string }[]>`
        select pid, state, case when state = 'active' then
          coalesce(wait_event_type || ':' || wait_event, 'CPU') end as wait
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`;
      for (const row of rows) {
        if (!started.has(row.pid)) started.set(row.pid, cpuSecondsOf(row.pid));
        if (row.wait) waits[row.wait] = (waits[row.wait] ?? 0) + 1;
      }
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await watcher.end();
    let cpuSeconds = 0;
    for (const [pid, before] of started) cpuSeconds += Math.max(0, cpuSecondsOf(pid) - before);
    return { cpuSeconds, waits, samples };
  };
}

function runLoad(args: string[]) {
  return runJsonChild<{
    cpuSeconds: number;
    recordsPerSecond: number;
    p50: number;
    p99: number;
    records: number;
    statuses: Record<string, number>;
  }>(path.join(here, "load-generator.ts"), args, "load generator");
}

/**
 * Rows/s of pre-formatted rows COPYed straight into `predictions` (the physical ceiling), over
 * one stream and over `streams` at once.
 */
async function copyCeiling(url: string, modelId: string, streams: number): Promise<number> {
  const { sql } = createDatabase(url, { max: streams });
  const rows = 200_000;
  const { rows: chunks } = predictionCopyChunks(modelId, rows, `copy-${streams}`);
  try {
    return await copyRate(sql, "predictions", PREDICTION_COPY_COLUMNS, chunks, rows, streams);
  } finally {
    await sql.end();
  }
}

const database = await prepareBenchDatabase("plumbline_bench", log);
let service: IngestService | null = null;
try {
  const { db, sql } = createDatabase(database.url, { max: 2 });
  await ensurePredictionPartitionsAround(sql, new Date());
  const project = await createProject(db, { slug: "bench" });
  const model = await createModel(db, {
    projectId: project.id,
    slug: "bench-model",
    featureSchema: FEATURE_SCHEMA,
  });
  await createModelVersion(db, { modelId: model.id, version: "1" });
  const copyModel = await createModel(db, { projectId: project.id, slug: "copy-ceiling" });
  const { token } = await createApiKey(
    db,
    { projectId: project.id, name: "bench", scopes: ["predictions:write", "baselines:write"] },
    { type: "system" },
  );
  await sql.end();

  service = await startIngestService(database.url, {
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "8",
    INGEST_RATE_LIMIT_PER_SECOND: "1000000",
    INGEST_RATE_LIMIT_BURST: "1000000",
  });
  const { url } = service;
  const pid = service.child.pid!;
  const baseline = await fetch(`${url}/v1/models/bench-model/versions/1/baseline`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: referenceCsv(),
  });
  if (baseline.status !== 201)
    throw new Error(`baseline upload failed: ${baseline.status} ${await baseline.text()}`);
  log(`service: pid ${pid}, rollups on, reference profiles for 20 features + prediction + score`);

  // Warm-up (JIT, connections), then the measured phases.
  await runLoad(["batch", url, token, "3", String(connections), `warm-${Date.now()}`]);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMegabytes(pid))), 250);
  log(`batches: ${connections} connections x 1000-record requests for ${seconds} s ...`);
  const serviceCpuBefore = cpuSecondsOf(pid);
  const stopWatching = watchDatabase(database.url);
  const batches = await runLoad([
    "batch",
    url,
    token,
    String(seconds),
    String(connections),
    `run-${Date.now()}`,
  ]);
  const serviceCpu = cpuSecondsOf(pid) - serviceCpuBefore;
  const watched = await stopWatching();
  log(
    `  ${Math.round(batches.recordsPerSecond)} records/s, p50 ${batches.p50.toFixed(1)} ms, p99 ${batches.p99.toFixed(1)} ms, statuses ${JSON.stringify(batches.statuses)}`,
  );
  const stored = batches.records;
  const perRecord = (cpuSeconds: number) => ((cpuSeconds * 1e6) / stored).toFixed(0);
  log(
    `  CPU per record: service ${perRecord(serviceCpu)} us, PostgreSQL backends ${perRecord(watched.cpuSeconds)} us, load generator ${perRecord(batches.cpuSeconds)} us (${cores} cores: ${Math.round((cores * 1e6) / (((serviceCpu + watched.cpuSeconds + batches.cpuSeconds) * 1e6) / stored))} records/s if CPU were the only limit)`,
  );
  const active = Object.values(watched.waits).reduce((sum, n) => sum + n, 0);
  const lockWaits = Object.entries(watched.waits)
    .filter(([wait]) => wait.startsWith("Lock:"))
    .reduce((sum, [, n]) => sum + n, 0);
  log(
    `  active backends sampled ${active} times: ${((100 * lockWaits) / Math.max(1, active)).toFixed(0)}% waiting on row or transaction locks; ${Object.entries(
      watched.waits,
    )
      .sort(([, a], [, b]) => b - a)
      .slice(0, 5)
      .map(([wait, n]) => `${wait} ${((100 * n) / Math.max(1, active)).toFixed(0)}%`)
      .join(", ")}`,
  );
  log(`single records: ${singleRate.toLocaleString("en")} requests/s for ${singleSeconds} s ...`);
  const single = await runLoad([
    "single",
    url,
    token,
    String(singleSeconds),
    String(singleRate),
    `single-${Date.now()}`,
  ]);
  log(
    `  ${Math.round(single.recordsPerSecond)} requests/s answered 202, p50 ${single.p50.toFixed(1)} ms, p99 ${single.p99.toFixed(1)} ms, statuses ${JSON.stringify(single.statuses)}`,
  );
  clearInterval(sampler);
  log(`ingest memory: peak RSS ${Math.round(peakRss)} MB`);

  log(
    `single: ${Math.round(single.recordsPerSecond)}/s answered 202 of ${singleRate}/s offered, p99 ${single.p99.toFixed(1)} ms`,
  );

  if (process.env.BENCH_TABLE_COST !== "0") {
    log("raw table cost: 100,000 pre-formatted rows per variant, one stream, best of two ...");
    const costs = await measureTableCost(database.url, copyModel.id, 100_000);
    const bare = costs[0]!.rowsPerSecond;
    for (const cost of costs) {
      log(
        `  ${cost.name.padEnd(44)} ${String(Math.round(cost.rowsPerSecond)).padStart(7)} rows/s, ${(1e6 / cost.rowsPerSecond).toFixed(1)} us/row (${(1e6 / cost.rowsPerSecond - 1e6 / bare).toFixed(1)} over the bare heap)`,
      );
    }
  }

  log("COPY ceiling: 200,000 pre-formatted rows into the same table ...");
  const ceiling = await copyCeiling(database.url, copyModel.id, 1);
  log(`  one stream: ${Math.round(ceiling)} rows/s`);
  const ceilingStreams = await copyCeiling(database.url, copyModel.id, copyStreams);
  log(`  ${copyStreams} streams: ${Math.round(ceilingStreams)} rows/s`);
  const ratio = batches.recordsPerSecond / ceiling;
  log(
    `ingest: ${Math.round(batches.recordsPerSecond)} records/s, ${ratio.toFixed(2)} of COPY ceiling, p99 ${batches.p99.toFixed(1)} ms`,
  );
} finally {
  await service?.stop();
  await database.stop();
}
