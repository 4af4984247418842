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
import { setTimeout as sleep } from "node:timers/promises";

import { and, asc, eq } from "drizzle-orm";

import { advanceDueDeployments } from "@plumbline/api/services/rollouts/advance-deployments";
import { createDatabase } from "@plumbline/db/client";
import { createModel, createProject, createTestApiKey } from "@plumbline/db/factories";
import { deploymentEvents, deployments } from "@plumbline/db/schema";
import { buildIngestApp } from "@plumbline/ingest/app";

import { canaryStrategySchema, rollbackBoundSeconds } from "@plumbline/rollouts";

import {
  canaryTraffic,
  createCanaryPeople,
  errorRateCanary,
  prepareCanaryEnvironment,
  releaseVersion,
} from "../../scripts/demo/canary-scenario";
import { prepareBenchDatabase } from "../ingest/bench-database";

const INTERVAL_SECONDS = 10;
const FAILURE_LIMIT = 1;
const INITIAL_DELAY_SECONDS = 0;
const WORKER_PASS_MS = 2_000;
const POLL_MS = 1_000;
const BATCH_MS = 200;
const BATCH_SIZE = 100;
const log = (line: string) => console.log(line);

const database = await prepareBenchDatabase("plumbline_bench_rollout", log);
const { db, sql } = createDatabase(database.url, {
  max: 6,
  applicationName: "plumbline-bench-rollout",
});
const app = buildIngestApp({ db, sql, rateLimit: { perSecond: 100_000, burst: 100_000 } });
const address = await app.listen({ host: "127.0.0.1", port: 0 });

let stopping = false;
try {
  const project = await createProject(db);
  const people = await createCanaryPeople(db, project.id);
  const model = await createModel(db, { projectId: project.id, slug: "bench-canary" });
  const strategy = errorRateCanary({
    intervalSeconds: INTERVAL_SECONDS,
    count: 6,
    failureLimit: FAILURE_LIMIT,
    initialDelaySeconds: INITIAL_DELAY_SECONDS,
    minSamples: 20,
  });
  await prepareCanaryEnvironment(db, people, {
    modelId: model.id,
    environmentName: "production",
    stableVersion: "1",
    justification: "the stable version",
    strategy,
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
    rollbackBoundSeconds(canaryStrategySchema.parse(strategy).analysis!.metrics) +
    WORKER_PASS_MS / 1000;
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
  await database.stop();
}
