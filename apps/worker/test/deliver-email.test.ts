import { once } from "node:events";
import type { AddressInfo } from "node:net";

import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createWebhook } from "@plumbline/api/services/webhooks/webhooks";
import { RETRY_DELAYS_SECONDS } from "@plumbline/governance";

import { deliverDueWebhooks, type DeliverWebhooksOptions } from "../src/jobs/deliver-webhooks";
import { SMTP_NOT_CONFIGURED_ERROR, type SmtpSettings } from "../src/notifications/send-email";
import { createWorkerFixture, LOOPBACK_RECEIVERS, type WorkerFixture } from "./fixture";
import { notifyCriticalAlert } from "./deliver-notification-fixture";

interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | undefined;
  mail: ParsedMail;
}

/**
 * A real SMTP server on loopback (nodemailer's own `smtp-server`) that requires a login, keeps
 * every message it accepts and parses it with `mailparser`, as a mailbox would.
 */
async function startSmtpServer(port = 0) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback for the test: no certificate to trust, and AUTH allowed without TLS.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "plumbline" && auth.password === "s3cret") {
        callback(null, { user: auth.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: session.user as string | undefined,
            mail,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.listen(port, "127.0.0.1");
  await once(server.server, "listening");
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    received,
    settings: (password = "s3cret"): SmtpSettings => ({
      url: `smtp://plumbline:${password}@127.0.0.1:${address.port}`,
      from: "Plumbline <alerts@plumbline.test>",
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let f: WorkerFixture;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeEach(async () => {
  f = await createWorkerFixture();
  smtp = await startSmtpServer();
});

afterEach(async () => {
  await smtp.close();
  await f.drop();
});

const options: DeliverWebhooksOptions = {
  batchSize: 10,
  timeoutMs: 5_000,
  random: () => 0.5,
  destinations: { allowed: LOOPBACK_RECEIVERS },
};

const RECIPIENTS = "mailto:ml-oncall@example.test,risk@example.test";

describe("email channel", () => {
  it("emails the alert to the recipients over SMTP, with a readable subject and body", async () => {
    const { eventId, alert } = await notifyCriticalAlert(f, { channel: "email", url: RECIPIENTS });

    const summary = await deliverDueWebhooks(f.sql, { ...options, smtp: smtp.settings() });
    expect(summary).toMatchObject({ claimed: 1, succeeded: 1 });

    expect(smtp.received).toHaveLength(1);
    const [{ envelopeFrom, envelopeTo, user, mail }] = smtp.received as [ReceivedMail];
    expect(user).toBe("plumbline");
    expect(envelopeFrom).toBe("alerts@plumbline.test");
    expect(envelopeTo).toEqual(["ml-oncall@example.test", "risk@example.test"]);
    expect(mail.from?.text).toBe('"Plumbline" <alerts@plumbline.test>');
    expect(mail.subject).toBe(
      "[CRITICAL] credit-risk: Feature drift (income) firing: 0.310 vs threshold 0.200",
    );
    const delivery = await f.deliveryOfEvent(eventId);
    expect(mail.headers.get("plumbline-delivery")).toBe(delivery.id);
    expect(mail.headers.get("plumbline-event")).toBe("alert.firing");
    const text = mail.text ?? "";
    expect(text).toMatch(/Severity: +critical/);
    expect(text).toMatch(/Monitor: +Feature drift \(feature_drift\)/);
    expect(text).toMatch(/Feature: +income/);
    expect(text).toMatch(/Value: +0\.31 \(threshold 0\.2\)/);
    expect(text).toMatch(/Window: +2026-12-05T11:00:00Z to 2026-12-05T12:00:00Z/);
    expect(text).toContain(
      `Open in Plumbline: http://localhost:3000/alerts/${alert.id}?project=${f.project.slug}`,
    );
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastError: null });
  });

  it("without SMTP configured, fails the attempt with a clear error and retries it with backoff", async () => {
    const { eventId } = await notifyCriticalAlert(f, { channel: "email", url: RECIPIENTS });

    expect(await deliverDueWebhooks(f.sql, options)).toMatchObject({ claimed: 1, retrying: 1 });
    const failed = await f.deliveryOfEvent(eventId);
    expect(failed).toMatchObject({
      status: "pending",
      attempts: 1,
      responseCode: null,
      lastError: SMTP_NOT_CONFIGURED_ERROR,
    });
    expect(SMTP_NOT_CONFIGURED_ERROR).toBe("SMTP is not configured: set PLUMBLINE_SMTP_URL");
    const waitMs = failed.nextAttemptAt!.getTime() - failed.lastAttemptAt!.getTime();
    expect(waitMs).toBeGreaterThanOrEqual(RETRY_DELAYS_SECONDS[0] * 1000);

    // The operator configures SMTP; the retry falls due and the mail goes out.
    await f.makePendingDue();
    expect(await deliverDueWebhooks(f.sql, { ...options, smtp: smtp.settings() })).toMatchObject({
      claimed: 1,
      succeeded: 1,
    });
    expect(smtp.received).toHaveLength(1);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("retries while the SMTP server is down or refuses the login, and loses nothing", async () => {
    const { eventId } = await notifyCriticalAlert(f, { channel: "email", url: RECIPIENTS });
    const port = smtp.port;
    const settings = smtp.settings();
    await smtp.close();

    expect(await deliverDueWebhooks(f.sql, { ...options, smtp: settings })).toMatchObject({
      retrying: 1,
    });
    expect((await f.deliveryOfEvent(eventId)).lastError).toBe(
      "SMTP: could not connect to the SMTP server",
    );

    smtp = await startSmtpServer(port);
    await f.makePendingDue();
    expect(
      await deliverDueWebhooks(f.sql, { ...options, smtp: smtp.settings("wrong") }),
    ).toMatchObject({ retrying: 1 });
    expect((await f.deliveryOfEvent(eventId)).lastError).toMatch(
      /^SMTP: the SMTP server refused the credentials \(535 /,
    );

    await f.makePendingDue();
    expect(await deliverDueWebhooks(f.sql, { ...options, smtp: settings })).toMatchObject({
      succeeded: 1,
    });
    expect(smtp.received).toHaveLength(1);
    expect(await f.deliveryOfEvent(eventId)).toMatchObject({ status: "succeeded", attempts: 3 });
  });

  it("refuses an email channel without valid recipients, naming the problem", async () => {
    await expect(
      createWebhook(f.ctx, { channel: "email", url: "mailto:nobody", eventTypes: ["*"] }),
    ).rejects.toThrow('url: email recipients: "nobody" is not an email address');
    await expect(
      createWebhook(f.ctx, { channel: "email", url: "https://example.com", eventTypes: ["*"] }),
    ).rejects.toThrow('"mailto:" URI');
  });
});
