/**
 * `pnpm demo`: the whole platform on one machine with live data.
 *
 * Starts PostgreSQL (embedded unless DATABASE_URL is set), migrates and seeds the demo project,
 * builds and starts the web app, the ingest service and the worker (webhook deliveries, promotion
 * expiry), then runs the traffic simulator against the real ingest API with a real API key.
 * Ctrl-C stops everything, the database last.
 *
 * `pnpm demo --dev` runs the web app with `next dev` instead of a production build.
 */
import path from "node:path";

import { createDatabase } from "@plumbline/db/client";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@plumbline/db/demo-seed";
import { connectOrStartDatabase } from "@plumbline/db/local";
import { migrateDatabase } from "@plumbline/db/migrate";

import {
  onShutdown,
  runCommand,
  startProcess,
  stopAllProcesses,
  waitForHttp,
} from "./lib/processes";
import { bin, localAuthSecret, repoRoot } from "./lib/repo";

const devMode = process.argv.includes("--dev");
const webPort = Number(process.env.PLUMBLINE_WEB_PORT ?? 3000);
const ingestPort = Number(process.env.PLUMBLINE_INGEST_PORT ?? 3001);
const webUrl = `http://localhost:${webPort}`;
const ingestUrl = `http://localhost:${ingestPort}`;
const webDir = path.join(repoRoot, "apps", "web");

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.TURBO_TELEMETRY_DISABLED = "1";
process.env.DO_NOT_TRACK = "1";

const database = await connectOrStartDatabase("dev", repoRoot);
onShutdown(async () => {
  await stopAllProcesses();
  await database.stop();
});

console.log(database.embedded ? "Embedded PostgreSQL is up." : "Using DATABASE_URL.");
await migrateDatabase(database.url);
const { db, sql } = createDatabase(database.url, { max: 2, applicationName: "plumbline-demo" });
const seeded = await seedDemo(db);
await sql.end();

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  AUTH_SECRET: localAuthSecret(),
  AUTH_URL: webUrl,
  PLUMBLINE_INGEST_URL: ingestUrl,
};

if (!devMode) {
  console.log("Building the web app (about 20 s the first time)...");
  const code = await runCommand(bin("next", webDir), ["build"], { cwd: webDir, env });
  if (code !== 0) {
    console.error("The web app did not build; see the output above.");
    await stopAllProcesses();
    await database.stop();
    process.exit(code);
  }
}

startProcess("ingest", bin("tsx"), [path.join(repoRoot, "apps/ingest/src/main.ts")], {
  // Request logs at info would drown the terminal: the simulator posts every second.
  env: { ...env, PORT: String(ingestPort), LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
});
startProcess("worker", bin("tsx"), [path.join(repoRoot, "apps/worker/src/main.ts")], {
  // Info logs one line per dispatch run that sent something; warnings are what matter here.
  env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
});
startProcess("web", bin("next", webDir), [devMode ? "dev" : "start", "-p", String(webPort)], {
  cwd: webDir,
  env,
  quiet: true,
});
await waitForHttp(`${ingestUrl}/readyz`, 60_000);
await waitForHttp(`${webUrl}/signin`, 120_000);

startProcess("traffic", bin("tsx"), [path.join(repoRoot, "scripts/simulate-traffic.ts")], {
  env: { ...env, PLUMBLINE_API_KEY: seeded.apiKeyToken },
});

const width = Math.max(...DEMO_USERS.map((user) => user.email.length));
console.log(`
  Plumbline is running: ${webUrl}

  Sign in with any demo user (password: ${DEMO_PASSWORD}):
${DEMO_USERS.map((user) => `    ${user.email.padEnd(width)}  ${user.role}`).join("\n")}

  Ingest API: ${ingestUrl}  (the simulator posts ~40 predictions/s; a slow drift starts at minute 2)
  Demo API key (shown once, scoped to predictions and labels of credit-risk):
    ${seeded.apiKeyToken}

  Open ${webUrl}/models/credit-risk to watch the charts move. Ctrl-C stops everything.
`);
