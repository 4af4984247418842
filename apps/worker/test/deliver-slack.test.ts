import { once } from "node:events";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createWebhook } from "@plumbline/api/services/webhooks/webhooks";
import { RETRY_DELAYS_SECONDS } from "@plumbline/governance";

import { deliverDueWebhooks, type DeliverWebhooksOptions } from "../src/jobs/deliver-webhooks";
import { slackMessage } from "../src/notifications/slack-message";
import { createWorkerFixture, LOOPBACK_RECEIVERS, type WorkerFixture } from "./fixture";
import { notifyCriticalAlert } from "./deliver-notification-fixture";
import { startReceiver, type Receiver } from "./receiver";

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

const options: DeliverWebhooksOptions = {
  batchSize: 10,
  timeoutMs: 5_000,
  random: () => 0.5,
  destinations: { allowed: LOOPBACK_RECEIVERS },
};

interface SlackBody {
  text: string;
  blocks: {
    type: string;
    text?: { type: string; text: string };
    fields?: { type: string; text: string }[];
  }[];
}

describe("Slack-compatible channel", () => {
  it("posts a readable alert message: severity, model, monitor, value vs threshold, link", async () => {
    const { webhook, secret, alert } = await notifyCriticalAlert(f, {
      channel: "slack",
      url: receiver.url,
    });
    receiver.secret = secret;

    expect(await deliverDueWebhooks(f.sql, options)).toMatchObject({ claimed: 1, succeeded: 1 });

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.headers["content-type"]).toBe("application/json");
    // Signed like every channel: our own receivers can check it, Slack ignores it.
    expect(request!.verification.ok).toBe(true);
    const body = JSON.parse(request!.body) as SlackBody;
    const link = `http://localhost:3000/alerts/${alert.id}?project=${f.project.slug}`;
    expect(body.text).toBe(
      `:red_circle: [CRITICAL] credit-risk: Feature drift (income) firing: 0.310 vs threshold 0.200 <${link.replace(/&/g, "&amp;")}|Open in Plumbline>`,
    );
    expect(body.blocks[0]).toEqual({
      type: "header",
      text: {
        type: "plain_text",
        text: "[CRITICAL] credit-risk: Feature drift (income) firing: 0.310 vs threshold 0.200",
        emoji: true,
      },
    });
    const fields = body.blocks[1]!.fields!.map((field) => field.text);
    expect(fields).toEqual(
      expect.arrayContaining([
        "*Severity*\ncritical",
        expect.stringMatching(/^\*Model\*\n.*credit-risk/) as unknown as string,
        "*Monitor*\nFeature drift (feature_drift)",
        "*Feature*\nincome",
        "*Value*\n0.31 (threshold 0.2)",
        "*Version*\n3",
        "*Window*\n2026-12-05T11:00:00Z to 2026-12-05T12:00:00Z",
      ]),
    );
    expect(body.blocks.at(-1)).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: `<${link}|Open in Plumbline>` },
    });

    const [delivery] = await f.deliveries();
    expect(delivery).toMatchObject({
      webhookId: webhook.id,
      status: "succeeded",
      responseCode: 200,
    });
  });

  it("writes a generic message for other events, escaping Slack's markup", () => {
    const message = slackMessage({
      id: "e1",
      projectId: "p1",
      eventType: "model_version.ready",
      resourceType: "model_version",
      resourceId: "<!channel>",
      payload: {},
      createdAt: new Date("2026-12-05T12:00:00Z"),
    });
    expect(message.text).toBe("Plumbline: model_version.ready");
    expect(JSON.stringify(message.blocks)).toContain("model_version &lt;!channel&gt;");
    expect(JSON.stringify(message.blocks)).not.toContain("<!channel>");
  });

  it("refuses a Slack URL the destination guard refuses, at creation and at delivery", async () => {
    await expect(
      createWebhook(f.ctx, {
        channel: "slack",
        url: "http://169.254.169.254/hooks",
        eventTypes: ["*"],
      }),
    ).rejects.toThrow(/link-local address/);

    // A receiver that was allowed when created, but no longer is: the worker's guard refuses.
    await notifyCriticalAlert(f, { channel: "slack", url: receiver.url });
    const summary = await deliverDueWebhooks(f.sql, {
      ...options,
      destinations: { allowed: { hosts: new Set(), ranges: [] } },
    });
    expect(summary).toMatchObject({ claimed: 1, retrying: 1 });
    const [delivery] = await f.deliveries();
    expect(delivery!.lastError).toMatch(/loopback/);
    expect(receiver.requests).toHaveLength(0);
  });

  it("retries a receiver that is down with backoff and delivers once it is up: nothing lost", async () => {
    // A port with nothing listening: reserve one, then close it.
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, "close");
    const downUrl = `http://127.0.0.1:${port}/slack`;
    const { eventId, secret } = await notifyCriticalAlert(f, { channel: "slack", url: downUrl });

    expect(await deliverDueWebhooks(f.sql, options)).toMatchObject({ claimed: 1, retrying: 1 });
    const failed = await f.deliveryOfEvent(eventId);
    expect(failed).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "connection refused",
    });
    const waitMs = failed.nextAttemptAt!.getTime() - failed.lastAttemptAt!.getTime();
    expect(waitMs).toBeGreaterThanOrEqual(RETRY_DELAYS_SECONDS[0] * 1000);
    // Not due yet: the backoff holds it back.
    expect((await deliverDueWebhooks(f.sql, options)).claimed).toBe(0);

    // The receiver comes up on that port; the retry falls due and goes through.
    const up = await startReceiver();
    try {
      await f.sql`update webhooks set url = ${up.url} where channel = 'slack'`;
      up.secret = secret;
      await f.makePendingDue();
      expect(await deliverDueWebhooks(f.sql, options)).toMatchObject({ claimed: 1, succeeded: 1 });
      expect(up.requests).toHaveLength(1);
      expect((JSON.parse(up.requests[0]!.body) as SlackBody).text).toContain("[CRITICAL]");
      expect(await f.deliveryOfEvent(eventId)).toMatchObject({ status: "succeeded", attempts: 2 });
    } finally {
      await up.close();
    }
  });
});
