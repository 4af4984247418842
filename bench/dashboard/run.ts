// `pnpm bench:dashboard`: the model page's tRPC queries on 10 million predictions.
//
// Seeds (once; the database is kept and reused, BENCH_RESEED=1 seeds again) 3 models with 20
// features each over 30 days, with their rollups, label rollups and reference profiles, then
// calls the model page's queries through the router, as the web app does, for the 24 h, 7 d
// and 30 d ranges, and prints p50 and p95 over repeated calls. The last line is
//   dashboard: p95_30d <ms> ms, page_30d <ms> ms, rows <count>
// where p95_30d is the slowest query's p95 at 30 days and page_30d the p95 of the whole page
// (every query at once, as the page issues them). Uses DATABASE_URL's server when set,
// otherwise an embedded PostgreSQL under the OS temp folder (port 54332). BENCH_REPEATS sets
// the number of timed calls (default 20). Never a timed assertion: it reports what it measures.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { createCaller, createInnerContext } from "@plumbline/api";
import { createDatabase } from "@plumbline/db/client";
import { startEmbeddedPostgres } from "@plumbline/db/embedded";
import { readDatabaseEnv } from "@plumbline/db/env";
import { createUser, grantRole } from "@plumbline/db/factories";
import { migrateDatabase } from "@plumbline/db/migrate";
import { models, projects } from "@plumbline/db/schema";
import { and, eq } from "drizzle-orm";
import postgres from "postgres";

import { measureRollupLevels } from "./rollup-levels";
import { BENCH_PROJECT_SLUG, seedDashboardBench } from "./seed";

const DATABASE_NAME = "plumbline_bench_dashboard";
const repeats = Number(process.env.BENCH_REPEATS ?? 20);
const log = (line: string) => console.log(line);

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function serverUrl() {
  const { DATABASE_URL, PLUMBLINE_EMBEDDED_PORT } = readDatabaseEnv();
  if (DATABASE_URL) return { url: DATABASE_URL, stop: async () => undefined };
  const dataDir = path.join(tmpdir(), "plumbline-bench", "pg-dashboard");
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = await startEmbeddedPostgres({
    dataDir,
    port: PLUMBLINE_EMBEDDED_PORT ?? 54_332,
    log: () => undefined,
  });
  return { url: server.url, stop: server.stop };
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(p * sortedMs.length) - 1)] ?? NaN;
}

async function measure(run: () => Promise<unknown>) {
  await run(); // warm the plan cache and the buffer cache once
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

const fmt = (ms: number) => ms.toFixed(1).padStart(7);

const server = await serverUrl();
const admin = postgres(withDatabase(server.url, "postgres"), { max: 1, onnotice: () => undefined });
const [existing] = await admin`select 1 from pg_database where datname = ${DATABASE_NAME}`;
if (process.env.BENCH_RESEED === "1" || !existing) {
  // Seeded under another name and renamed when complete, so an interrupted seed is never reused.
  const seeding = `${DATABASE_NAME}_seeding`;
  await admin.unsafe(`drop database if exists "${seeding}" with (force)`);
  await admin.unsafe(`create database "${seeding}"`);
  const seedingUrl = withDatabase(server.url, seeding);
  await migrateDatabase(seedingUrl);
  const pool = createDatabase(seedingUrl, { max: 2, applicationName: "plumbline-bench-seed" });
  log("seeding 30 days of predictions for 3 models (several minutes, once)...");
  const began = performance.now();
  const seeded = await seedDashboardBench(pool.db, pool.sql, new Date(), log);
  await pool.sql.end();
  log(`seeded ${seeded.rows} predictions in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  await admin.unsafe(`drop database if exists "${DATABASE_NAME}" with (force)`);
  await admin.unsafe(`alter database "${seeding}" rename to "${DATABASE_NAME}"`);
} else {
  log(`reusing ${DATABASE_NAME} (BENCH_RESEED=1 seeds again)`);
  await migrateDatabase(withDatabase(server.url, DATABASE_NAME));
}
await admin.end();

const { db, sql } = createDatabase(withDatabase(server.url, DATABASE_NAME), {
  max: 10,
  applicationName: "plumbline-bench",
});
const [{ rows }] = (await sql`select count(*)::float8 as rows from predictions`) as unknown as [
  { rows: number },
];

const project = await db.query.projects.findFirst({
  where: eq(projects.slug, BENCH_PROJECT_SLUG),
});
if (!project) throw new Error("the benchmark project is missing: run with BENCH_RESEED=1");
const viewer = await createUser(db, { email: `viewer-${Date.now()}@bench.local`, name: "Bench" });
await grantRole(db, { userId: viewer.id, projectId: project.id, role: "viewer" });
const caller = createCaller(createInnerContext({ db, userId: viewer.id }));

const modelSlug = "bench-model-1";
type Preset = "24h" | "7d" | "30d";
const pageQueries = (preset: Preset) => {
  const input = { projectSlug: BENCH_PROJECT_SLUG, modelSlug, range: { preset }, slice: {} };
  return {
    traffic: () => caller.dashboard.traffic(input),
    predictions: () => caller.dashboard.predictions(input),
    confidence: () => caller.dashboard.confidence(input),
    dataQuality: () => caller.dashboard.dataQuality(input),
    segments: () => caller.dashboard.segments(input),
    performance: () => caller.dashboard.performance(input),
    driftTable: () => caller.drift.table(input),
    driftHeatmap: () => caller.drift.heatmap(input),
  };
};

let worstP95At30d = 0;
let pageP95At30d = 0;
let driftTableP95At30d = 0;
log(`\nper query, ${repeats} calls each (ms):   p50     p95`);
for (const preset of ["24h", "7d", "30d"] as const) {
  const queries = pageQueries(preset);
  for (const [name, run] of Object.entries(queries)) {
    const { p50, p95 } = await measure(run);
    log(`  ${preset.padEnd(4)} ${name.padEnd(24)} ${fmt(p50)} ${fmt(p95)}`);
    if (preset === "30d") {
      worstP95At30d = Math.max(worstP95At30d, p95);
      if (name === "driftTable") driftTableP95At30d = p95;
    }
  }
  const page = await measure(() => Promise.all(Object.values(queries).map((run) => run())));
  log(
    `  ${preset.padEnd(4)} ${"whole page (parallel)".padEnd(24)} ${fmt(page.p50)} ${fmt(page.p95)}`,
  );
  if (preset === "30d") pageP95At30d = page.p95;
}
const overview = await measure(() =>
  caller.dashboard.overview({ projectSlug: BENCH_PROJECT_SLUG }),
);
log(`  overview (3 models)            ${fmt(overview.p50)} ${fmt(overview.p95)}`);
const model = await db.query.models.findFirst({
  where: and(eq(models.projectId, project.id), eq(models.slug, modelSlug)),
});
if (!model) throw new Error(`the benchmark model ${modelSlug} is missing: run with BENCH_RESEED=1`);
const levels = await measureRollupLevels(sql, model.id, measure);
log(`\nbin-count rollup levels, against hours only (ms):   p50     p95`);
log(
  `  30 d per 6-hour bucket from hour rows     ${fmt(levels.fromHours.p50)} ${fmt(levels.fromHours.p95)}`,
);
log(
  `  30 d per 6-hour bucket from 6-hour rows   ${fmt(levels.fromPeriods.p50)} ${fmt(levels.fromPeriods.p95)}`,
);
log(
  `  ingest upsert of ${levels.rows} rows, hours only     ${fmt(levels.hoursOnly.p50)} ${fmt(levels.hoursOnly.p95)}`,
);
log(
  `  ingest upsert of ${levels.rows} rows, with 6 hours   ${fmt(levels.withPeriods.p50)} ${fmt(levels.withPeriods.p95)}`,
);
log(
  `  read ${(levels.fromHours.p50 / levels.fromPeriods.p50).toFixed(1)}x faster from 6-hour rows;` +
    ` the 6-hour triggers add ${(((levels.withPeriods.p50 - levels.hoursOnly.p50) * 1000) / levels.rows).toFixed(1)} us per bin row written` +
    ` (${(levels.withPeriods.p50 / levels.hoursOnly.p50).toFixed(2)}x the upsert)`,
);
log(
  `\ntargets at 30 d: every query p95 < 150 ms, whole page < 300 ms, drift table < 100 ms` +
    ` (drift table p95 ${driftTableP95At30d.toFixed(1)} ms)`,
);

await sql.end();
await server.stop();
log(
  `dashboard: p95_30d ${worstP95At30d.toFixed(1)} ms, page_30d ${pageP95At30d.toFixed(1)} ms, rows ${rows}`,
);
