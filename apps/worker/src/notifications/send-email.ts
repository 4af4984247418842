import nodemailer from "nodemailer";

import { parseMailtoRecipients } from "@plumbline/api/services/webhooks/mailto";

import type { AttemptOutcome } from "../webhooks/post-webhook";
import type { EmailMessage } from "./email-message";

/** The operator's mail server (`PLUMBLINE_SMTP_URL`, `PLUMBLINE_SMTP_FROM`). */
export interface SmtpSettings {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://` (TLS from the start). */
  url: string;
  from: string;
}

export const SMTP_NOT_CONFIGURED_ERROR = "SMTP is not configured: set PLUMBLINE_SMTP_URL";

export interface EmailSend {
  /** The channel's `mailto:` URI. */
  recipients: string;
  message: EmailMessage;
  /** The delivery id, as a header: a mailbox rule or a person can tie the mail to the log. */
  deliveryId: string;
  eventType: string;
  smtp: SmtpSettings | null;
  timeoutMs: number;
}

/**
 * Sends one email delivery over SMTP; never throws. Success is the server accepting the message
 * for at least one recipient; the outcome's `responseCode` stays null (it is an HTTP status in
 * the delivery log) and the SMTP reply goes into the error text when it refuses.
 *
 * The destination guard does not apply: the SMTP server is the operator's own setting, not a
 * project member's, and recipients are addresses, not hosts Plumbline connects to.
 */
export async function sendEmail(send: EmailSend): Promise<AttemptOutcome> {
  if (!send.smtp) return { ok: false, responseCode: null, error: SMTP_NOT_CONFIGURED_ERROR };
  let to: string[];
  try {
    to = parseMailtoRecipients(send.recipients);
  } catch (error) {
    return { ok: false, responseCode: null, error: (error as Error).message };
  }
  // One connection per send: deliveries are few (alerts, not marketing), and a pooled
  // connection would outlive the run that opened it.
  const transport = nodemailer.createTransport({
    url: send.smtp.url,
    connectionTimeout: send.timeoutMs,
    greetingTimeout: send.timeoutMs,
    socketTimeout: send.timeoutMs,
    dnsTimeout: send.timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: send.smtp.from,
      to,
      subject: send.message.subject,
      text: send.message.text,
      headers: { "Plumbline-Delivery": send.deliveryId, "Plumbline-Event": send.eventType },
    });
    if (info.accepted.length === 0) {
      return { ok: false, responseCode: null, error: "SMTP: every recipient was refused" };
    }
    return { ok: true, responseCode: null };
  } catch (error) {
    return { ok: false, responseCode: null, error: smtpReason(error) };
  } finally {
    transport.close();
  }
}

const REASON_BY_CODE: Record<string, string> = {
  ECONNECTION: "could not connect to the SMTP server",
  ESOCKET: "could not connect to the SMTP server",
  ETIMEDOUT: "the SMTP server timed out",
  EDNS: "the SMTP server's name did not resolve",
  EAUTH: "the SMTP server refused the credentials",
  ETLS: "TLS with the SMTP server failed",
  EENVELOPE: "the SMTP server refused the recipients",
  EMESSAGE: "the SMTP server refused the message",
};

function smtpReason(error: unknown): string {
  const { code, responseCode, response } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
  };
  const reason =
    (typeof code === "string" ? REASON_BY_CODE[code] : undefined) ?? "the SMTP send failed";
  // The SMTP server is the operator's: its reply (e.g. "550 mailbox unavailable") helps them.
  const reply =
    typeof responseCode === "number" && typeof response === "string"
      ? ` (${response.replace(/\s+/g, " ").slice(0, 200)})`
      : "";
  return `SMTP: ${reason}${reply}`;
}
