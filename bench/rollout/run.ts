// `pnpm bench:rollout`: how long a degraded canary keeps traffic, in real time.
//
// Everything runs as in production, in one process: the ingest API on 127.0.0.1 (HTTP), the
// worker's deployment pass every 2 s (ROLLOUT_INTERVAL_MS), and a simulated inference service
// that polls GET /v1/models/{id}/routing every second (with If-None-Match) and sends 500
// predictions a second split by the weight it read. The canary (version 2) errs on 40 % of its
// requests from its first one. Its analysis measures the error-rate difference every 10 s with
// failureLimit 1, so it must fail at the second measurement: the bound is
//   initialDelay + (failureLimit + 1) x interval + ingest lag (one worker pass, 2 s)
// The figure is the time from the canary's first degraded request to the weight-0 change the
// worker committed. The last line is
//   rollout: rollback after <s> s, bound <s> s
// Uses DATABASE_URL (a fresh database on that server, dropped at the end) or an embedded
// PostgreSQL. Never a timed assertion.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { and, asc, eq } from "drizzle-orm";
import postgres from "postgres";

import { createEnvironment } from "@plumbline/api/services/promotions/environments";
import { upsertGatePolicy } from "@plumbline/api/services/promotions/gate-policies";
import { advanceDueDeployments } from "@plumbline/api/services/rollouts/advance-deployments";
import { setRolloutPolicy } from "@plumbline/api/services/rollouts/rollout-policies";
import type { ServiceContext } from "@plumbline/api/services/service-context";
import { createDatabase } from "@plumbline/db/client";
import { startEmbeddedPostgres } from "@plumbline/db/embedded";
import { readDatabaseEnv } from "@plumbline/db/env";
import {
  createMember,
  createModel,
  createProject,
  createTestApiKey,
} from "@plumbline/db/factories";
import { migrateDatabase } from "@plumbline/db/migrate";
import { deploymentEvents, deployments } from "@plumbline/db/schema";
import { buildIngestApp } from "@plumbline/ingest/app";

import {
  canaryTraffic,
  errorRateCanary,
  releaseVersion,
  type CanaryPeople,
} from "../../scripts/demo/canary-scenario";

const INTERVAL_SECONDS = 10;
const FAILURE_LIMIT = 1;
const INITIAL_DELAY_SECONDS = 0;
const WORKER_PASS_MS = 2_000;
const POLL_MS = 1_000;
const BATCH_MS = 200;
const BATCH_SIZE = 100;
const log = (line: string) => console.log(line);

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function serverUrl() {
  const { DATABASE_URL, PLUMBLINE_EMBEDDED_PORT } = readDatabaseEnv();
  if (DATABASE_URL) return { url: DATABASE_URL, stop: async () => undefined };
  const dataDir = path.join(tmpdir(), "plumbline-bench", "pg-rollout");
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = await startEmbeddedPostgres({
    dataDir,
    port: PLUMBLINE_EMBEDDED_PORT ?? 54_333,
    log: () => undefined,
  });
  return { url: server.url, stop: server.stop };
}

const server = await serverUrl();
const name = `plumbline_bench_rollout_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const admin = postgres(withDatabase(server.url, "postgres"), { max: 1, onnotice: () => undefined });
await admin.unsafe(`create database "${name}"`);
const url = withDatabase(server.url, name);
await migrateDatabase(url);
const { db, sql } = createDatabase(url, { max: 6, applicationName: "plumbline-bench-rollout" });
const app = buildIngestApp({ db, sql, rateLimit: { perSecond: 100_000, burst: 100_000 } });
const address = await app.listen({ host: "127.0.0.1", port: 0 });

let stopping = false;
try {
  const project = await createProject(db);
  const as = async (role: "ml_engineer" | "approver" | "admin"): Promise<ServiceContext> => ({
    db,
    projectId: project.id,
    actor: { type: "user", id: (await createMember(db, { projectId: project.id, role })).id, role },
  });
  const people: CanaryPeople = {
    engineer: await as("ml_engineer"),
    approver: await as("approver"),
    admin: await as("admin"),
  };
  const model = await createModel(db, { projectId: project.id, slug: "bench-canary" });
  await createEnvironment(people.admin, {
    name: "production",
    kind: "production",
    protected: true,
  });
  await upsertGatePolicy(people.admin, {
    environmentName: "production",
    policy: {
      requiredApprovals: 1,
      rules: [{ id: "schema", kind: "evaluation_outcome", evaluationKind: "schema_validation" }],
    },
  });
  await releaseVersion(db, people, {
    modelId: model.id,
    version: "1",
    environmentName: "production",
    justification: "the stable version",
  });
  await setRolloutPolicy(people.admin, {
    environmentName: "production",
    policy: {
      mode: "canary",
      strategy: errorRateCanary({
        intervalSeconds: INTERVAL_SECONDS,
        count: 6,
        failureLimit: FAILURE_LIMIT,
        initialDelaySeconds: INITIAL_DELAY_SECONDS,
        minSamples: 20,
      }),
    },
  });
  const { token } = await createTestApiKey(db, {
    projectId: project.id,
    scopes: ["predictions:write", "read"],
  });
  const headers = { authorization: `Bearer ${token}` };
  const { deploymentId } = await releaseVersion(db, people, {
    modelId: model.id,
    version: "2",
    environmentName: "production",
    justification: "a deliberately worse version",
  });
  if (!deploymentId) throw new Error("the canary policy did not start a deployment");
  log(
    `rollout: deployment ${deploymentId}, analysis every ${INTERVAL_SECONDS} s, failureLimit ${FAILURE_LIMIT}`,
  );

  // The worker.
  const worker = (async () => {
    while (!stopping) {
      await advanceDueDeployments(db, { now: new Date() });
      await sleep(WORKER_PASS_MS);
    }
  })();

  // The inference service: polls the split, serves traffic by it.
  let split = { stableVersion: "1", canaryVersion: null as string | null, weight: 0 };
  let etag: string | undefined;
  let polls = 0;
  let notModified = 0;
  let seenRollbackAt: number | null = null;
  let degradedFrom: number | null = null;
  const poller = (async () => {
    while (!stopping) {
      const response = await fetch(`${address}/v1/models/bench-canary/routing`, {
        headers: { ...headers, ...(etag ? { "if-none-match": etag } : {}) },
      });
      polls += 1;
      if (response.status === 304) notModified += 1;
      else {
        etag = response.headers.get("etag") ?? undefined;
        split = (await response.json()) as typeof split;
        if (degradedFrom !== null && split.canaryVersion === null && split.weight === 0) {
          seenRollbackAt ??= Date.now();
        }
      }
      await sleep(POLL_MS);
    }
  })();
  const sender = (async () => {
    while (!stopping) {
      const records = canaryTraffic(
        {
          modelSlug: "bench-canary",
          environment: "production",
          stableVersion: split.stableVersion,
          canaryVersion: split.canaryVersion,
          weight: split.weight,
          canaryErrorRate: 0.4,
          canaryLatencyMs: 25,
        },
        BATCH_SIZE,
        new Date(),
      );
      const hasCanary = records.some((record) => record.model.deployment === "canary");
      if (hasCanary) degradedFrom ??= Date.now();
      const response = await fetch(`${address}/v1/predictions`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ records }),
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
      await sleep(BATCH_MS);
    }
  })();

  const deadline = Date.now() + 120_000;
  let state = "pending";
  while (Date.now() < deadline && state !== "rolled_back" && state !== "succeeded") {
    await sleep(250);
    const [row] = await db
      .select({ state: deployments.state })
      .from(deployments)
      .where(eq(deployments.id, deploymentId));
    state = row?.state ?? state;
  }
  while (seenRollbackAt === null && Date.now() < deadline) await sleep(100);
  stopping = true;
  await Promise.all([worker, poller, sender]);
  if (state !== "rolled_back")
    throw new Error(`the degraded canary ended ${state}, not rolled back`);

  const [weightZero] = await db
    .select({ at: deploymentEvents.occurredAt })
    .from(deploymentEvents)
    .where(
      and(
        eq(deploymentEvents.deploymentId, deploymentId),
        eq(deploymentEvents.kind, "weight_changed"),
        eq(deploymentEvents.weightTo, 0),
      ),
    )
    .orderBy(asc(deploymentEvents.occurredAt));
  const [stored] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
  const rollbackSeconds = (weightZero!.at.getTime() - degradedFrom!) / 1000;
  const seenSeconds = (seenRollbackAt! - degradedFrom!) / 1000;
  const bound =
    INITIAL_DELAY_SECONDS + (FAILURE_LIMIT + 1) * INTERVAL_SECONDS + WORKER_PASS_MS / 1000;
  log(`rollout: ${stored!.message ?? ""}`);
  log(`rollout: routing polled ${polls} times, ${notModified} answered 304 Not Modified`);
  log(`rollout: the serving layer saw weight 0 after ${seenSeconds.toFixed(1)} s (1 s polling)`);
  log(
    `rollout: bound = initialDelay ${INITIAL_DELAY_SECONDS} s + (failureLimit ${FAILURE_LIMIT} + 1) x interval ${INTERVAL_SECONDS} s + ingest lag (one worker pass) ${WORKER_PASS_MS / 1000} s`,
  );
  log(`rollout: rollback after ${rollbackSeconds.toFixed(1)} s, bound ${bound} s`);
} finally {
  stopping = true;
  await app.close();
  await sql.end();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
  await server.stop();
}
