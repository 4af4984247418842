// `pnpm bench:monitors`: one full monitor evaluation pass over the dashboard benchmark's data.
//
// Uses the database of `pnpm bench:dashboard` (plumbline_bench_dashboard: 3 models with 20
// features each, 30 days of rollups and references), seeding it with the same seeder when it
// is missing (about 11 minutes here, once). Gives each model the default catalog, then times
// evaluation passes at the end of the seeded data in the steady state: every monitor has its
// previous bucket evaluated and one bucket due, as the worker finds them every 15 s. Prints the
// cold pass (empty caches of PostgreSQL and the process) and p50/p95 of repeated passes; the
// last line is
//   monitors: <count> monitors in <ms> ms
// with the p50 of the steady-state pass. Notifications go to a counting hook (the evaluation is
// what is measured; the outbox write is the notification service's). Never a timed assertion.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { AlertSideEffects } from "@plumbline/api/services/monitors/alert-side-effects";
import { createMissingDefaultMonitors } from "@plumbline/api/services/monitors/create-default-monitors";
import {
  evaluateDueMonitors,
  settingsOf,
  type EvaluationSummary,
} from "@plumbline/api/services/monitors/evaluate-due-monitors";
import { previewMonitor } from "@plumbline/api/services/monitors/preview-monitor";
import { createDatabase } from "@plumbline/db/client";
import { startEmbeddedPostgres } from "@plumbline/db/embedded";
import { readDatabaseEnv } from "@plumbline/db/env";
import { migrateDatabase } from "@plumbline/db/migrate";
import { monitors as monitorsTable } from "@plumbline/db/schema";
import { and, eq } from "drizzle-orm";
import postgres from "postgres";

import { seedDashboardBench } from "../dashboard/seed";

const DATABASE_NAME = "plumbline_bench_dashboard";
const repeats = Number(process.env.BENCH_REPEATS ?? 10);
const log = (line: string) => console.log(line);
const MINUTE = 60_000;

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

/** The dashboard benchmark's database, seeded as `bench/dashboard/run.ts` seeds it. */
async function ensureDashboardDatabase(url: string) {
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => undefined });
  try {
    const [existing] = await admin`select 1 from pg_database where datname = ${DATABASE_NAME}`;
    if (existing) {
      log(`reusing ${DATABASE_NAME} (seeded by bench:dashboard; BENCH_RESEED=1 there seeds again)`);
      await migrateDatabase(withDatabase(url, DATABASE_NAME));
      return;
    }
    const seeding = `${DATABASE_NAME}_seeding`;
    await admin.unsafe(`drop database if exists "${seeding}" with (force)`);
    await admin.unsafe(`create database "${seeding}"`);
    const seedingUrl = withDatabase(url, seeding);
    await migrateDatabase(seedingUrl);
    const pool = createDatabase(seedingUrl, { max: 2, applicationName: "plumbline-bench-seed" });
    log("seeding 30 days of predictions for 3 models (several minutes, once)...");
    const began = performance.now();
    const seeded = await seedDashboardBench(pool.db, pool.sql, new Date(), log);
    await pool.sql.end();
    log(
      `seeded ${seeded.rows} predictions in ${((performance.now() - began) / 1000).toFixed(0)} s`,
    );
    await admin.unsafe(`alter database "${seeding}" rename to "${DATABASE_NAME}"`);
  } finally {
    await admin.end();
  }
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(p * sortedMs.length) - 1)] ?? NaN;
}

const server = await serverUrl();
await ensureDashboardDatabase(server.url);
const { db, sql } = createDatabase(withDatabase(server.url, DATABASE_NAME), {
  max: 10,
  applicationName: "plumbline-bench-monitors",
});

const created = await createMissingDefaultMonitors(db);
if (created.length > 0) {
  log(`created the default catalog for ${created.length} models`);
}
const [{ latest }] = (await sql`
  select (extract(epoch from max(minute)) * 1000)::float8 as latest
  from prediction_rollups_minute`) as unknown as [{ latest: number }];
// Just after the last seeded minute: the latest bucket of every monitor holds data.
const now = new Date(latest + MINUTE + 5_000);
const [{ monitors, features }] = (await sql`
  select count(*)::int as monitors,
    count(*) filter (where metric in ('missing_values', 'type_mismatch', 'out_of_range',
      'unseen_categories', 'feature_drift'))::int as features
  from monitors where enabled`) as unknown as [{ monitors: number; features: number }];
log(
  `${monitors} monitors (${features} of them per feature) on 3 models, evaluated at ${now.toISOString()}`,
);

const counted = { notifications: 0, retraining: 0 };
const effects: AlertSideEffects = {
  enqueueAlertNotification: () => {
    counted.notifications += 1;
    return Promise.resolve(null);
  },
  maybeTriggerRetraining: () => {
    counted.retraining += 1;
    return Promise.resolve(null);
  },
};

/**
 * The steady state: no alert open, and each monitor's bucket before the latest evaluated, so
 * exactly one bucket per monitor is due.
 */
async function resetToSteadyState() {
  await sql`delete from alerts`;
  await sql`delete from monitor_evaluations`;
  await sql`
    insert into monitor_evaluations (model_id, monitor_id, bucket_end, window_start, outcome)
    select model_id, id,
      to_timestamp(floor(${now.getTime()}::float8 / 1000 / (bucket_minutes * 60)) * bucket_minutes * 60)
        - make_interval(mins => bucket_minutes),
      to_timestamp(floor(${now.getTime()}::float8 / 1000 / (bucket_minutes * 60)) * bucket_minutes * 60)
        - make_interval(mins => bucket_minutes + window_minutes),
      'ok'
    from monitors where enabled`;
}

async function timedPass(): Promise<{ ms: number; summary: EvaluationSummary }> {
  await resetToSteadyState();
  const started = performance.now();
  const summary = await evaluateDueMonitors(db, { now, effects });
  return { ms: performance.now() - started, summary };
}

const cold = await timedPass();
log(
  `\ncold pass: ${cold.ms.toFixed(0)} ms; ${cold.summary.evaluated} evaluations, ` +
    `${cold.summary.failed} failed, outcomes ${JSON.stringify(cold.summary.outcomes)}, ` +
    `${cold.summary.opened} alerts opened, ${cold.summary.fired} fired`,
);
const byMonitor = (await sql`
  select m.catalog_key as key, e.outcome, count(*)::int as n
  from monitor_evaluations e join monitors m on m.id = e.monitor_id
  where e.readings <> '[]'::jsonb or e.outcome <> 'ok'
  group by 1, 2 order by 1, 2`) as unknown as { key: string; outcome: string; n: number }[];
log(
  `outcomes by catalog monitor (3 models): ` +
    byMonitor.map((row) => `${row.key} ${row.outcome} x${row.n}`).join(", "),
);
const times: number[] = [];
for (let i = 0; i < repeats; i += 1) times.push((await timedPass()).ms);
times.sort((a, b) => a - b);
const p50 = percentile(times, 0.5);
log(
  `steady-state pass, ${repeats} runs (ms): p50 ${p50.toFixed(0)}, p95 ${percentile(times, 0.95).toFixed(0)}`,
);
log(`target: one full pass under 2000 ms`);

// The preview of the monitor form: 7 days replayed bucket by bucket, for one model.
const [model] = (await sql`
  select m.id, m.project_id from models m order by m.slug limit 1`) as unknown as [
  { id: string; project_id: string },
];
for (const key of ["feature_drift", "traffic_volume"]) {
  const [row] = await db
    .select()
    .from(monitorsTable)
    .where(and(eq(monitorsTable.modelId, model.id), eq(monitorsTable.catalogKey, key)));
  const started = performance.now();
  const preview = await previewMonitor(db, {
    projectId: model.project_id,
    modelId: model.id,
    settings: settingsOf(row!),
    now,
  });
  log(
    `preview of ${key} over 7 days: ${(performance.now() - started).toFixed(0)} ms ` +
      `(${preview.buckets.length} buckets, ${preview.firings.length} firings)`,
  );
}

await sql`delete from alerts`;
await sql`delete from monitor_evaluations`;
await sql.end();
await server.stop();
log(`monitors: ${monitors} monitors in ${p50.toFixed(0)} ms`);
