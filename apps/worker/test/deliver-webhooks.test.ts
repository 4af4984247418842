import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { registerVersion } from "@plumbline/api/services/registry/models";
import { updateWebhook } from "@plumbline/api/services/webhooks/webhooks";
import { createDatabase } from "@plumbline/db/client";
import { createModel, testArtifactDigest } from "@plumbline/db/factories";
import { MAX_DELIVERY_ATTEMPTS, RETRY_DELAYS_SECONDS } from "@plumbline/governance";

import {
  claimDueDeliveries,
  deliverDueWebhooks,
  INACTIVE_WEBHOOK_ERROR,
  INTERRUPTED_FINAL_ATTEMPT_ERROR,
  recordOutcome,
  type DeliverWebhooksOptions,
} from "../src/jobs/deliver-webhooks";
import { createWorkerFixture, LOOPBACK_RECEIVERS, type WorkerFixture } from "./fixture";
import { HANG, startReceiver, type Receiver } from "./receiver";

let f: WorkerFixture;
let receiver: Receiver;

beforeEach(async () => {
  f = await createWorkerFixture();
  receiver = await startReceiver();
});

afterEach(async () => {
  await receiver.close();
  await f.drop();
});

/** Jitter pinned to the middle: a retry waits exactly the schedule's delay. */
const options: DeliverWebhooksOptions = {
  batchSize: 10,
  timeoutMs: 5_000,
  random: () => 0.5,
  destinations: { allowed: LOOPBACK_RECEIVERS },
};
const dispatch = (extra: Partial<DeliverWebhooksOptions> = {}) =>
  deliverDueWebhooks(f.sql, { ...options, ...extra });

describe("deliverDueWebhooks", () => {
  it("signs and posts an event from a real service; the receiver verifies it; it succeeds", async () => {
    const webhook = await f.subscribe(receiver, ["model_version.ready"]);
    const model = await createModel(f.db, { projectId: f.project.id });
    const version = await registerVersion(f.ctx, {
      modelId: model.id,
      version: "7",
      artifactUri: "s3://models/7",
      artifactDigest: testArtifactDigest("7"),
    });
    const [pending] = await f.deliveries();
    expect(pending).toMatchObject({ webhookId: webhook.id, status: "pending", attempts: 0 });

    const summary = await dispatch();

    expect(summary).toMatchObject({ claimed: 1, succeeded: 1, retrying: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.method).toBe("POST");
    expect(request!.verification).toMatchObject({ ok: true, deliveryId: pending!.id });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["plumbline-event"]).toBe("model_version.ready");
    expect(request!.headers["plumbline-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(
      Math.abs(Number(request!.headers["plumbline-timestamp"]) - Date.now() / 1000),
    ).toBeLessThan(60);
    expect(JSON.parse(request!.body)).toMatchObject({
      id: pending!.outboxEventId,
      type: "model_version.ready",
      projectId: f.project.id,
      resource: { type: "model_version", id: version.id },
      data: expect.any(Object) as unknown,
    });

    const [delivered] = await f.deliveries();
    expect(delivered).toMatchObject({
      status: "succeeded",
      attempts: 1,
      responseCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(delivered!.lastAttemptAt).toBeInstanceOf(Date);
    // Nothing is left to send.
    expect((await dispatch()).claimed).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it("records a 500, schedules the retry after the backoff, and the retry succeeds", async () => {
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 500, body: "upstream database down" } : { status: 204 };
    await f.subscribe(receiver);
    const eventId = await f.publish();

    expect(await dispatch()).toMatchObject({ claimed: 1, retrying: 1, succeeded: 0 });
    const failed = await f.deliveryOfEvent(eventId);
    expect(failed).toMatchObject({
      status: "pending",
      attempts: 1,
      responseCode: 500,
      lastError: "HTTP 500",
    });
    // Scheduled from when the outcome was recorded: the first delay (30 s), plus the send.
    const waitMs = failed.nextAttemptAt!.getTime() - failed.lastAttemptAt!.getTime();
    expect(waitMs).toBeGreaterThanOrEqual(RETRY_DELAYS_SECONDS[0] * 1000);
    expect(waitMs).toBeLessThan(RETRY_DELAYS_SECONDS[0] * 1000 + 5_000);

    // Not due yet: nothing is sent.
    expect((await dispatch()).claimed).toBe(0);
    expect(receiver.requests).toHaveLength(1);

    await f.makePendingDue();
    expect(await dispatch()).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "succeeded",
      attempts: 2,
      responseCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    // The same delivery, the same bytes; each attempt is signed afresh and verifies.
    const [first, second] = receiver.requests;
    expect(second!.headers["plumbline-delivery"]).toBe(first!.headers["plumbline-delivery"]);
    expect(second!.body).toBe(first!.body);
    expect(second!.verification.ok).toBe(true);
  });

  it("waits longer after each failure and fails the delivery once attempts are exhausted", async () => {
    receiver.respond = () => ({ status: 503 });
    await f.subscribe(receiver);
    const eventId = await f.publish();

    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
      const summary = await dispatch();
      expect(summary.claimed, `attempt ${attempt}`).toBe(1);
      const row = await f.deliveryOfEvent(eventId);
      expect(row.attempts).toBe(attempt);
      if (attempt < MAX_DELIVERY_ATTEMPTS) {
        expect(row.status).toBe("pending");
        waits.push(row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime());
        await f.makePendingDue();
      }
    }
    // Each wait follows the governance schedule (30 s, 2 min, 10 min, ... 6 h).
    waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(RETRY_DELAYS_SECONDS[index]! * 1000);
      expect(wait).toBeLessThan(RETRY_DELAYS_SECONDS[index]! * 1000 + 5_000);
    });

    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "failed",
      attempts: MAX_DELIVERY_ATTEMPTS,
      responseCode: 503,
      lastError: "HTTP 503",
      nextAttemptAt: null,
    });
    await f.makePendingDue();
    expect((await dispatch()).claimed).toBe(0);
    expect(receiver.requests).toHaveLength(MAX_DELIVERY_ATTEMPTS);
  });

  it("records a timeout, and a refused connection, as errors to retry", async () => {
    receiver.respond = () => HANG;
    await f.subscribe(receiver);
    const eventId = await f.publish();

    const started = Date.now();
    expect(await dispatch({ timeoutMs: 300 })).toMatchObject({ claimed: 1, retrying: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const timedOut = await f.deliveryOfEvent(eventId);
    expect(timedOut).toMatchObject({
      status: "pending",
      attempts: 1,
      responseCode: null,
      lastError: "timeout",
    });
    expect(timedOut.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);

    // The receiver is gone: nothing listens on its port any more.
    await receiver.close();
    await f.makePendingDue();
    expect(await dispatch()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "pending",
      attempts: 2,
      responseCode: null,
      lastError: "connection refused",
    });
    receiver = await startReceiver();
  });

  it("does not follow redirects", async () => {
    receiver.respond = () => ({ status: 308 });
    await f.subscribe(receiver);
    const eventId = await f.publish();
    await dispatch();
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "pending",
      responseCode: 308,
      lastError: "HTTP 308 (redirects are not followed)",
    });
  });

  it("three dispatchers running at once deliver each delivery exactly once", async () => {
    await f.subscribe(receiver);
    const events = 60;
    for (let index = 0; index < events; index += 1) await f.publish();

    // Separate pools: like separate worker processes, they share nothing but the database.
    // Small batches and a fast receiver make their claims collide as often as possible.
    const workers = ["a", "b", "c"].map((name) =>
      createDatabase(f.database.url, { max: 4, applicationName: `worker-${name}` }),
    );
    try {
      const summaries = await Promise.all(
        workers.map((worker) => deliverDueWebhooks(worker.sql, { ...options, batchSize: 2 })),
      );
      expect(summaries.reduce((sum, summary) => sum + summary.claimed, 0)).toBe(events);
      expect(summaries.filter((summary) => summary.claimed > 0).length).toBeGreaterThan(1);
    } finally {
      await Promise.all(workers.map((worker) => worker.sql.end()));
    }

    const hits = receiver.hitsByDelivery();
    expect(receiver.requests).toHaveLength(events);
    expect(hits.size).toBe(events);
    expect([...hits.values()].every((count) => count === 1)).toBe(true);
    expect(receiver.requests.every((request) => request.verification.ok)).toBe(true);
    const rows = await f.deliveries();
    expect(rows.every((row) => row.status === "succeeded" && row.attempts === 1)).toBe(true);
  });

  it("skips rows another worker has locked instead of waiting for them", async () => {
    await f.subscribe(receiver);
    const lockedEvent = await f.publish();
    const freeEvent = await f.publish();
    const locked = await f.deliveryOfEvent(lockedEvent);

    // Another worker mid-claim: it holds the row lock until its transaction ends.
    const other = createDatabase(f.database.url, { max: 1, applicationName: "other-worker" });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const transaction = other.sql.begin(async (tx) => {
      await tx`select id from webhook_deliveries where id = ${locked.id} for update`;
      holding();
      await released;
    });
    try {
      await held;
      const summary = await dispatch();
      expect(summary).toMatchObject({ claimed: 1, succeeded: 1 });
      expect(receiver.requests.map((request) => request.headers["plumbline-delivery"])).toEqual([
        (await f.deliveryOfEvent(freeEvent)).id,
      ]);
      expect(await f.deliveryOfEvent(lockedEvent)).toMatchObject({
        status: "pending",
        attempts: 0,
      });
    } finally {
      release();
      await transaction;
      await other.sql.end();
    }
    expect(await dispatch()).toMatchObject({ claimed: 1, succeeded: 1 });
  });

  it("sends nothing to an inactive webhook and fails its due deliveries with the reason", async () => {
    const webhook = await f.subscribe(receiver);
    const eventId = await f.publish();
    await updateWebhook(f.ctx, { webhookId: webhook.id, active: false });

    expect(await dispatch()).toMatchObject({ cancelled: 1, claimed: 0 });
    expect(receiver.requests).toHaveLength(0);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "failed",
      attempts: 0,
      lastError: INACTIVE_WEBHOOK_ERROR,
      nextAttemptAt: null,
    });
  });

  it("leases claimed rows, and a worker that lost its lease cannot overwrite the outcome", async () => {
    await f.subscribe(receiver);
    const eventId = await f.publish();

    const [stalled] = await claimDueDeliveries(f.sql, { batchSize: 10, leaseMs: 60_000 });
    expect(stalled).toMatchObject({ attempt: 1 });
    // Leased: another worker finds nothing due.
    expect((await dispatch()).claimed).toBe(0);

    // The lease runs out (the stalled worker never reported); another worker delivers.
    await f.makePendingDue();
    expect(await dispatch()).toMatchObject({ claimed: 1, succeeded: 1 });

    const late = await recordOutcome(f.sql, stalled!, {
      ok: false,
      responseCode: null,
      error: "timed out after 10000 ms",
    });
    expect(late).toBe("lease_lost");
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "succeeded",
      attempts: 2,
      lastError: null,
    });
  });

  it("fails a delivery whose final attempt was claimed by a worker that then died", async () => {
    await f.subscribe(receiver);
    const eventId = await f.publish();
    await f.sql`update webhook_deliveries set attempts = ${MAX_DELIVERY_ATTEMPTS - 1}`;
    const [claimed] = await claimDueDeliveries(f.sql, { batchSize: 10, leaseMs: 60_000 });
    expect(claimed).toMatchObject({ attempt: MAX_DELIVERY_ATTEMPTS });

    // Its worker never reports; the lease runs out.
    await f.makePendingDue();
    expect(await dispatch()).toMatchObject({ cancelled: 1, claimed: 0 });
    expect(receiver.requests).toHaveLength(0);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "failed",
      attempts: MAX_DELIVERY_ATTEMPTS,
      lastError: INTERRUPTED_FINAL_ATTEMPT_ERROR,
      nextAttemptAt: null,
    });
  });

  it("finishes the batch in hand and claims no more once its signal aborts", async () => {
    const stop = new AbortController();
    receiver.respond = () => {
      stop.abort();
      return { status: 200, delayMs: 50 };
    };
    await f.subscribe(receiver);
    for (let index = 0; index < 6; index += 1) await f.publish();

    const summary = await dispatch({ batchSize: 2, signal: stop.signal });

    expect(summary).toMatchObject({ claimed: 2, succeeded: 2 });
    const rows = await f.deliveries();
    expect(rows.filter((row) => row.status === "succeeded")).toHaveLength(2);
    expect(rows.filter((row) => row.status === "pending" && row.attempts === 0)).toHaveLength(4);
  });
});
