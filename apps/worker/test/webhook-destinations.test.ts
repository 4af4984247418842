import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import {
  NO_ALLOWED_DESTINATIONS,
  parseAllowedDestinations,
  type Resolver,
} from "@plumbline/api/services/webhooks/destination-guard";
import { createWebhook, listDeliveries } from "@plumbline/api/services/webhooks/webhooks";

import { deliverDueWebhooks, type DeliverWebhooksOptions } from "../src/jobs/deliver-webhooks";
import { createWorkerFixture, LOOPBACK_RECEIVERS, type WorkerFixture } from "./fixture";
import { startReceiver, type Receiver } from "./receiver";

/**
 * The destination guard at delivery time, on the resolved address. The resolver is a stub: these
 * tests look nothing up and connect to nothing but the loopback receiver, and only where the
 * guard is meant to let the request through.
 */

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

function stubResolver(answers: Record<string, string[]>) {
  return vi.fn<Resolver>((hostname) => {
    const addresses = answers[hostname];
    if (!addresses) return Promise.reject(new Error(`unexpected lookup of ${hostname}`));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  });
}

const dispatch = (destinations: DeliverWebhooksOptions["destinations"]) =>
  deliverDueWebhooks(f.sql, { batchSize: 10, timeoutMs: 5_000, random: () => 0.5, destinations });

/** Subscribes `url` (allowed at creation, so that only the delivery-time guard is at work). */
async function subscribeUrl(url: string) {
  const { webhook, secret } = await createWebhook(
    f.ctx,
    { url, eventTypes: ["*"] },
    { allowedDestinations: parseAllowedDestinations("127.0.0.1, rebind.example.test") },
  );
  receiver.secret = secret;
  return webhook;
}

const port = () => new URL(receiver.url).port;

describe("webhook delivery destinations", () => {
  it("refuses a stored loopback webhook before connecting when loopback is not allowed", async () => {
    await f.subscribe(receiver);
    const eventId = await f.publish();
    const resolve = stubResolver({});

    expect(await dispatch({ allowed: NO_ALLOWED_DESTINATIONS, resolve })).toMatchObject({
      claimed: 1,
      retrying: 1,
    });
    expect(receiver.requests).toHaveLength(0);
    expect(resolve).not.toHaveBeenCalled();
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "pending",
      responseCode: null,
      lastError: "destination refused: loopback address",
    });
  });

  it("refuses a public-looking name that resolves to an internal address", async () => {
    await subscribeUrl(`http://rebind.example.test:${port()}/hooks`);
    const eventId = await f.publish();
    const resolve = stubResolver({ "rebind.example.test": ["127.0.0.1"] });

    await dispatch({ allowed: NO_ALLOWED_DESTINATIONS, resolve });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(receiver.requests).toHaveLength(0);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      lastError: "destination refused: loopback address",
    });
  });

  it("refuses a name when any of its addresses is internal, whichever comes first", async () => {
    await subscribeUrl(`http://rebind.example.test:${port()}/hooks`);
    const eventId = await f.publish();
    // The public address is never connected to: the whole destination is refused first.
    const resolve = stubResolver({ "rebind.example.test": ["93.184.216.34", "127.0.0.1"] });

    await dispatch({ allowed: NO_ALLOWED_DESTINATIONS, resolve });
    expect(receiver.requests).toHaveLength(0);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      lastError: "destination refused: loopback address",
    });
  });

  it("connects to the address it checked, without a second lookup", async () => {
    // `rebind.example.test` exists in no DNS: the request can only reach the receiver through the
    // address the stub resolved and the guard checked.
    await subscribeUrl(`http://rebind.example.test:${port()}/hooks`);
    const eventId = await f.publish();
    const resolve = stubResolver({ "rebind.example.test": ["127.0.0.1"] });

    await dispatch({ allowed: parseAllowedDestinations("127.0.0.1/32"), resolve });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers.host).toBe(`rebind.example.test:${port()}`);
    expect(receiver.requests[0]!.verification.ok).toBe(true);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      status: "succeeded",
      responseCode: 200,
    });
  });

  it("stores the status code and a generic reason, never the receiver's answer", async () => {
    const credentials = '{"AccessKeyId":"ASIAFAKEKEY","SecretAccessKey":"fake-secret"}';
    receiver.respond = () => ({ status: 500, body: credentials });
    const webhook = await f.subscribe(receiver);
    const eventId = await f.publish();

    await dispatch({ allowed: LOOPBACK_RECEIVERS });
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({
      responseCode: 500,
      lastError: "HTTP 500",
    });
    const log = await listDeliveries(f.db, f.project.id, { webhookId: webhook.id });
    expect(JSON.stringify(log)).not.toContain("ASIAFAKEKEY");
  });

  it("records a non-HTTP service as a generic failure, not its banner or parser error", async () => {
    const banner = createServer((socket) => socket.end("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
    banner.listen(0, "127.0.0.1");
    await once(banner, "listening");
    try {
      const { port: bannerPort } = banner.address() as AddressInfo;
      await subscribeUrl(`http://127.0.0.1:${bannerPort}/`);
      const eventId = await f.publish();

      await dispatch({ allowed: LOOPBACK_RECEIVERS });
      const delivery = await f.deliveryOfEvent(eventId);
      expect(delivery).toMatchObject({ responseCode: null });
      expect(["connection failed", "connection reset"]).toContain(delivery.lastError);
    } finally {
      banner.close();
    }
  });
});
