/**
 * `pnpm demo`: the whole platform on one machine with live data.
 *
 * Starts PostgreSQL (embedded unless DATABASE_URL is set), migrates and seeds the demo project,
 * builds and starts the web app, the ingest service and the worker (webhook deliveries, promotion
 * expiry, monitor evaluation), then runs the traffic simulator against the real ingest API with a
 * real API key. A local receiver (127.0.0.1, PLUMBLINE_DEMO_RECEIVER_PORT or an ephemeral port)
 * takes the alert notifications and retraining requests of the simulator's drift episode,
 * verifies their signatures and logs each with its delay from the breaching bucket's end
 * (docs/notifications.md). Ctrl-C stops everything, the database last.
 *
 * `pnpm demo --dev` runs the web app with `next dev` instead of a production build.
 * `pnpm demo --smoke` starts everything the same way, then checks over HTTP what a new user does
 * first (sign-in page, sign-in, one prediction through ingest, the model page's query counting
 * it, the simulator's traffic arriving), stops everything, the database last, and exits 0, or 1
 * naming the step that failed. CI runs it on a fresh clone before anything else is built.
 */
import path from "node:path";

import { createDatabase } from "@plumbline/db/client";
import { readAuditKey } from "@plumbline/db/env";
import { connectOrStartDatabase } from "@plumbline/db/local";
import { migrateDatabase } from "@plumbline/db/migrate";

import { startCanaryDemo, type CanaryDemo } from "./demo/canary-demo";
import { startNotificationReceiver, type NotificationReceiver } from "./demo/notification-receiver";
import { DEMO_ALLOWED_DESTINATIONS, setupDemoNotifications } from "./demo/setup-notifications";
import {
  DEMO_MODEL_SLUG,
  DEMO_PASSWORD,
  DEMO_PROJECT_SLUG,
  DEMO_USERS,
  seedDemo,
} from "./demo/seed-demo";
import {
  failOnEarlyExit,
  onShutdown,
  runCommand,
  startProcess,
  stopAllProcesses,
  waitForHttp,
} from "./lib/processes";
import { bin, localAuthSecret, repoRoot } from "./lib/repo";
import { runSmokeChecks, SmokeCheckFailed } from "./lib/smoke-checks";

const startedAt = performance.now();
const devMode = process.argv.includes("--dev");
const smokeMode = process.argv.includes("--smoke");
const webPort = Number(process.env.PLUMBLINE_WEB_PORT ?? 3000);
const ingestPort = Number(process.env.PLUMBLINE_INGEST_PORT ?? 3001);
const webUrl = `http://localhost:${webPort}`;
const ingestUrl = `http://localhost:${ingestPort}`;
const webDir = path.join(repoRoot, "apps", "web");

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.TURBO_TELEMETRY_DISABLED = "1";
process.env.DO_NOT_TRACK = "1";

const database = await connectOrStartDatabase("dev", repoRoot);
let receiver: NotificationReceiver | null = null;
let canaryDemo: CanaryDemo | null = null;
onShutdown(async () => {
  await canaryDemo?.stop();
  await stopAllProcesses();
  await receiver?.close();
  await database.stop();
});

console.log(database.embedded ? "Embedded PostgreSQL is up." : "Using DATABASE_URL.");
await migrateDatabase(database.url);
const { db, sql } = createDatabase(database.url, { max: 2, applicationName: "plumbline-demo" });
const seeded = await seedDemo(db);

receiver = await startNotificationReceiver({
  port: Number(process.env.PLUMBLINE_DEMO_RECEIVER_PORT ?? 0),
  log: (line) => console.log(`receiver│ ${line}`),
});
const notifications = await setupDemoNotifications(db, {
  projectId: seeded.project.id,
  modelId: seeded.model.id,
  receiver,
  warn: (line) => console.warn(`Warning: ${line}`),
});
await sql.end();

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  AUTH_SECRET: localAuthSecret(),
  // `next start` runs as production, which requires a key: the demo passes on its own (yours
  // if PLUMBLINE_AUDIT_KEY is set, else the published development key).
  PLUMBLINE_AUDIT_KEY: readAuditKey(),
  AUTH_URL: webUrl,
  PLUMBLINE_INGEST_URL: ingestUrl,
  PLUMBLINE_WEB_URL: webUrl,
  // The worker posts to the demo's receiver on loopback, which the destination guard refuses
  // unless an operator allows it (docs/webhook-destinations.md); the demo is that operator.
  PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: [
    process.env.PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS,
    DEMO_ALLOWED_DESTINATIONS,
  ]
    .filter(Boolean)
    .join(","),
  // One-minute buckets are evaluated within seconds of their end.
  WORKER_MONITOR_INTERVAL_MS: process.env.WORKER_MONITOR_INTERVAL_MS ?? "5000",
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

const ingest = startProcess(
  "ingest",
  bin("tsx"),
  [path.join(repoRoot, "apps/ingest/src/main.ts")],
  {
    // Request logs at info would drown the terminal: the simulator posts every second.
    env: { ...env, PORT: String(ingestPort), LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  },
);
const worker = startProcess(
  "worker",
  bin("tsx"),
  [path.join(repoRoot, "apps/worker/src/main.ts")],
  {
    // Info logs one line per dispatch run that sent something; warnings are what matter here.
    env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  },
);
const web = startProcess(
  "web",
  bin("next", webDir),
  [devMode ? "dev" : "start", "-p", String(webPort)],
  {
    cwd: webDir,
    env,
    quiet: true,
  },
);
try {
  await failOnEarlyExit({ ingest, worker, web }, async () => {
    await waitForHttp(`${ingestUrl}/readyz`, 60_000);
    await waitForHttp(`${webUrl}/signin`, 120_000);
  });
} catch (error) {
  console.error(
    `\nPlumbline did not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (smokeMode) console.error('Smoke run FAILED at "start the services".');
  await stopAllProcesses();
  await database.stop();
  process.exit(1);
}

const startTraffic = () =>
  startProcess("traffic", bin("tsx"), [path.join(repoRoot, "scripts/demo/simulate-traffic.ts")], {
    env: {
      ...env,
      PLUMBLINE_API_KEY: seeded.apiKeyToken,
      // The smoke run needs the simulator's first batches, not a whole hour of history.
      ...(smokeMode ? { SIMULATOR_BACKFILL_MINUTES: "2" } : {}),
    },
  });

const readySeconds = ((performance.now() - startedAt) / 1000).toFixed(1);

if (smokeMode) {
  console.log(`\nSmoke checks (services ready after ${readySeconds} s):`);
  const engineer = DEMO_USERS.find((user) => user.role === "ml_engineer") ?? DEMO_USERS[0]!;
  let exitCode = 0;
  try {
    const page = await runSmokeChecks(
      {
        webUrl,
        ingestUrl,
        apiKey: seeded.apiKeyToken,
        email: engineer.email,
        password: DEMO_PASSWORD,
        projectSlug: DEMO_PROJECT_SLUG,
        modelSlug: DEMO_MODEL_SLUG,
        version: "1",
      },
      (line) => console.log(line),
    );
    const count = await page.total();
    startTraffic();
    await page.waitForMoreThan(
      "the traffic simulator's predictions reach the model page",
      count,
      60_000,
    );
    console.log(`\nSmoke run passed in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);
  } catch (error) {
    const step = error instanceof SmokeCheckFailed ? error.step : "smoke run";
    console.error(
      `\nSmoke run FAILED at "${step}": ${error instanceof Error ? error.message : String(error)}`,
    );
    exitCode = 1;
  }
  await stopAllProcesses();
  await database.stop();
  process.exit(exitCode);
}

startTraffic();
// A bad canary rolled back by itself, then a good one promoted (docs/rollouts.md).
const roleEmail = (role: string) => DEMO_USERS.find((user) => user.role === role)!.email;
canaryDemo = startCanaryDemo({
  databaseUrl: database.url,
  projectId: seeded.project.id,
  members: {
    engineer: roleEmail("ml_engineer"),
    approver: roleEmail("approver"),
    admin: roleEmail("admin"),
  },
  ingestUrl,
  log: (line) => console.log(`canary│ ${line}`),
});

const width = Math.max(...DEMO_USERS.map((user) => user.email.length));
console.log(`
  Plumbline is running: ${webUrl}  (ready in ${readySeconds} s)

  Sign in with any demo user (password: ${DEMO_PASSWORD}):
${DEMO_USERS.map((user) => `    ${user.email.padEnd(width)}  ${user.role}`).join("\n")}

  Ingest API: ${ingestUrl}  (the simulator posts ~40 predictions/s; a slow drift starts at minute 2)
  Demo API key (shown once, scoped to predictions, labels and baselines of credit-risk):
    ${seeded.apiKeyToken}

  Notifications: a local receiver at ${receiver.url} takes the drift monitors' alerts (signed
  webhook and Slack-style) and the retraining requests; each delivery is logged as "receiver│"
  with its delay from the breaching bucket's end. ${notifications.tunedMonitors.length} drift monitor(s) tuned to one-minute buckets.
  Delivery log: ${webUrl}/settings (Webhooks).

  Canary releases of checkout-fraud (lines "canary│"): v2 is worse and rolls back by itself
  within about 30 s of its first traffic, then v3 is promoted. Watch ${webUrl}/rollouts.

  Open ${webUrl}/models/${DEMO_MODEL_SLUG} to watch the charts move. Ctrl-C stops everything.
`);
