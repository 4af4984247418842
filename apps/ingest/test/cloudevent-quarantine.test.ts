import { once } from "node:events";
import { createServer } from "node:net";

import { createDatabase } from "@plumbline/db/client";
import { predictions } from "@plumbline/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { IngestMetrics } from "../src/metrics/ingest-metrics";
import {
  maintenanceTasks,
  runMaintenanceTasks,
  type MaintenanceContext,
} from "../src/services/operations/maintenance";
import { ReferenceProfileCache } from "../src/services/reference-profiles/reference-profile-cache";
import {
  createFreshModel,
  createKey,
  postRaw,
  startIngestHarness,
  type IngestHarness,
} from "./harness";

/**
 * Halves that cannot be decoded never block anything: they are refused on arrival, and a
 * legacy one already stored is quarantined alone; every maintenance task runs on its own.
 */

let harness: IngestHarness;
let writer: { token: string; key: { id: string } };

beforeAll(async () => {
  harness = await startIngestHarness();
  writer = await createKey(harness.db, harness.project.id, {
    scopes: ["predictions:write", "labels:write"],
  });
});

afterAll(async () => {
  await harness.close();
});

function maintenanceContext(sql = harness.sql): MaintenanceContext {
  return {
    sql,
    profiles: new ReferenceProfileCache(sql),
    metrics: new IngestMetrics(),
    log: harness.app.log,
  };
}

function kserveEvent(half: "request" | "response", id: string, service: string, body: unknown) {
  return postRaw(harness.app, "/v1/ingest/cloudevents", writer.token, JSON.stringify(body), {
    "ce-specversion": "1.0",
    "ce-id": id,
    "ce-type": `org.kubeflow.serving.inference.${half}`,
    "ce-time": new Date().toISOString(),
    "ce-inferenceservicename": service,
    "content-type": "application/json",
  });
}

/** A half stored by an older version, before the limits: as it sits in the table. */
async function insertLegacyHalf(
  modelId: string,
  joinId: string,
  half: "request" | "response",
  body: unknown,
  ageSeconds: number,
) {
  await harness.sql`
    insert into cloudevent_halves (model_id, join_id, half, api_key_id, attributes, body, received_at)
    values (${modelId}, ${joinId}, ${half}, ${writer.key.id},
      ${JSON.stringify({ id: joinId, type: `org.kubeflow.serving.inference.${half}` })}::jsonb,
      ${JSON.stringify(body)}, now() - make_interval(secs => ${ageSeconds}))`;
}

async function insertExpiredIdempotencyKey(key: string) {
  await harness.sql`
    insert into ingest_requests (api_key_id, idempotency_key, body_hash, status_code, response, created_at)
    values (${writer.key.id}, ${key}, 'hash', 202, '{}'::jsonb, now() - interval '25 hours')`;
}

async function idempotencyKeyExists(key: string) {
  const rows = await harness.sql`
    select 1 from ingest_requests where api_key_id = ${writer.key.id} and idempotency_key = ${key}`;
  return rows.length > 0;
}

async function halvesOf(modelId: string) {
  return harness.sql<{ join_id: string; half: string; quarantine_reason: string | null }[]>`
    select join_id, half, quarantine_reason from cloudevent_halves
    where model_id = ${modelId} order by join_id, half`;
}

describe("quarantine of halves that cannot be decoded", () => {
  it("quarantines a legacy poisoned half, sweeps the legitimate ones and still expires keys", async () => {
    const model = await createFreshModel(harness, "poisoned-sweep");
    // Ordered before the legitimate half, so that it once failed the whole sweep batch.
    await insertLegacyHalf(
      model.id,
      "a-poisoned",
      "response",
      { outputs: [{ name: "y", shape: [1e10, 1], datatype: "FP32", data: [1, 2] }] },
      120,
    );
    await insertLegacyHalf(model.id, "b-legitimate", "request", { instances: [[1, 2]] }, 120);
    await insertExpiredIdempotencyKey("expired-1");

    const context = maintenanceContext();
    const failed = await runMaintenanceTasks(maintenanceTasks(context), context);
    expect(failed).toEqual([]);

    expect(await halvesOf(model.id)).toEqual([
      { join_id: "a-poisoned", half: "response", quarantine_reason: "invalid_payload" },
    ]);
    const stored = await harness.db
      .select()
      .from(predictions)
      .where(eq(predictions.modelId, model.id));
    expect(stored.map((row) => row.predictionId)).toEqual(["b-legitimate:0"]);
    expect(await idempotencyKeyExists("expired-1")).toBe(false);
    expect(await context.metrics.registry.metrics()).toContain(
      'plumbline_ingest_cloudevent_halves_quarantined_total{reason="invalid_payload"} 1',
    );

    // Not retried: the next run leaves it alone and fails nothing.
    expect(await runMaintenanceTasks(maintenanceTasks(context), context)).toEqual([]);
    expect(await halvesOf(model.id)).toHaveLength(1);

    const status = await harness.app.inject({
      method: "GET",
      url: "/v1/ingest/status",
      headers: { authorization: `Bearer ${writer.token}` },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      cloudevent_halves_quarantined: { invalid_payload: 1 },
    });
  });

  it("refuses a crash-looping shape on arrival, and quarantines a legacy one its partner meets", async () => {
    const model = await createFreshModel(harness, "poisoned-join");
    const refused = await kserveEvent("request", "crash-1", "poisoned-join", {
      inputs: [{ name: "x", shape: [100_000_000, 1], datatype: "FP32", data: [1, 2] }],
    });
    expect(refused.statusCode).toBe(400);
    expect(await halvesOf(model.id)).toEqual([]);

    await insertLegacyHalf(
      model.id,
      "crash-2",
      "request",
      { inputs: [{ name: "x", shape: [1e10, 1], datatype: "FP32", data: [1, 2] }] },
      1,
    );
    const partner = await kserveEvent("response", "crash-2", "poisoned-join", {
      outputs: [{ name: "y", shape: [2], datatype: "FP32", data: [0.1, 0.2] }],
    });
    expect(partner.statusCode, partner.body).toBe(202);
    expect(partner.json()).toMatchObject({ status: "pending" });
    expect(await halvesOf(model.id)).toEqual([
      { join_id: "crash-2", half: "request", quarantine_reason: "invalid_payload" },
      { join_id: "crash-2", half: "response", quarantine_reason: null },
    ]);

    // A valid copy of the quarantined half, resent, replaces it and joins.
    const resent = await kserveEvent("request", "crash-2", "poisoned-join", {
      inputs: [{ name: "x", shape: [2, 1], datatype: "FP32", data: [1, 2] }],
    });
    expect(resent.json()).toMatchObject({ status: "joined", records: 2 });
    expect(await halvesOf(model.id)).toEqual([]);
  });
});

describe("maintenance tasks", () => {
  it("runs every task when one fails, and counts the failure under its task", async () => {
    // A pool to a port where nothing listens: the sweep fails for real (ECONNREFUSED).
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    server.close();
    const unreachable = createDatabase(`postgres://postgres@127.0.0.1:${address.port}/nowhere`, {
      max: 1,
      connectTimeoutSeconds: 1,
    });
    try {
      const broken = maintenanceContext(unreachable.sql);
      const live = maintenanceContext();
      const tasks = [
        maintenanceTasks(broken)[0]!,
        ...maintenanceTasks(live).filter((task) => task.name !== "cloudevent_sweep"),
      ];
      expect(tasks.map((task) => task.name)).toEqual([
        "cloudevent_sweep",
        "raced_label_join",
        "idempotency_key_expiry",
      ]);
      await insertExpiredIdempotencyKey("expired-2");
      const failed = await runMaintenanceTasks(tasks, live);
      expect(failed).toEqual(["cloudevent_sweep"]);
      expect(await idempotencyKeyExists("expired-2")).toBe(false);
      expect(await live.metrics.registry.metrics()).toContain(
        'plumbline_ingest_maintenance_failures_total{task="cloudevent_sweep"} 1',
      );
    } finally {
      await unreachable.sql.end({ timeout: 1 });
    }
  });
});
