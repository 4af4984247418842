import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";

import {
  DestinationRefusedError,
  resolveDeliveryAddress,
  type AllowedDestinations,
  type ResolvedAddress,
  type Resolver,
} from "@plumbline/api/services/webhooks/destination-guard";
import { signWebhookDelivery } from "@plumbline/governance";

/** The event a delivery carries, as stored in `outbox_events`. */
export interface OutboxEventForDelivery {
  id: string;
  projectId: string;
  eventType: string;
  resourceType: string;
  resourceId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * The JSON body a receiver gets. It depends only on the event, so every attempt of a delivery
 * (and every subscription's delivery of one event) sends the same bytes; `id` is the event's id,
 * while the `Plumbline-Delivery` header names this subscription's delivery.
 */
export function webhookBody(event: OutboxEventForDelivery): string {
  return JSON.stringify({
    id: event.id,
    type: event.eventType,
    createdAt: event.createdAt.toISOString(),
    projectId: event.projectId,
    resource: { type: event.resourceType, id: event.resourceId },
    data: event.payload,
  });
}

/** One attempt's outcome; `responseCode` is the HTTP status (null for email and socket errors). */
export type AttemptOutcome =
  | { ok: true; responseCode: number | null }
  | { ok: false; responseCode: number | null; error: string };

/** Where deliveries may go: the operator's allow-list, and the resolver (tests stub it). */
export interface DestinationPolicy {
  allowed: AllowedDestinations;
  resolve?: Resolver;
}

export interface WebhookPost {
  url: string;
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  timeoutMs: number;
  destinations: DestinationPolicy;
}

/**
 * Signs and POSTs one delivery; never throws. Only a 2xx counts: redirects are not followed (a
 * receiver that moved must be updated, and a signed body should not travel to a host nobody
 * configured). The timeout covers resolving, connecting and the answer's status line.
 *
 * The destination guard runs first, on the resolved addresses, and the request then connects to
 * the very address that was checked (a pinned `lookup`): a DNS answer that changes between the
 * check and the connection cannot point the request somewhere else. The outcome records the
 * status code and a generic reason only, never the answer's body or a socket error's text: what
 * an arbitrary host answers is not Plumbline's to store or show (it would make the delivery log a
 * way to read internal services and tell their ports apart).
 */
export async function postWebhook(post: WebhookPost): Promise<AttemptOutcome> {
  const signal = AbortSignal.timeout(post.timeoutMs);
  const signature = signWebhookDelivery({
    secret: post.secret,
    deliveryId: post.deliveryId,
    body: post.body,
    timestamp: Math.floor(Date.now() / 1000),
  });
  try {
    const url = new URL(post.url);
    const target = await abortable(
      resolveDeliveryAddress(url, post.destinations.allowed, post.destinations.resolve),
      signal,
    );
    const status = await postTo(url, target, {
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Plumbline-Webhooks/1.0",
        "Plumbline-Event": post.eventType,
        ...signature,
      },
      body: post.body,
      signal,
    });
    if (status >= 200 && status < 300) return { ok: true, responseCode: status };
    const redirect = status >= 300 && status < 400;
    return {
      ok: false,
      responseCode: status,
      error: `HTTP ${status}${redirect ? " (redirects are not followed)" : ""}`,
    };
  } catch (error) {
    return { ok: false, responseCode: null, error: genericReason(error, signal) };
  }
}

/** Connects to `target` only (never a fresh lookup of the host), POSTs, and returns the status. */
function postTo(
  url: URL,
  target: ResolvedAddress,
  message: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: "POST",
      headers: { ...message.headers, "Content-Length": Buffer.byteLength(message.body) },
      lookup: pinned,
      // One connection per attempt: a kept-alive socket would skip the pinned lookup next time.
      agent: false,
      signal: message.signal,
    });
    request.once("response", (response: IncomingMessage) => {
      // The body is never read: only the status is kept.
      response.destroy();
      resolve(response.statusCode ?? 0);
    });
    // `on`, not `once`: destroying the answer or a late abort may emit another error after the
    // outcome is settled, and an error event without a listener would crash the worker.
    request.on("error", reject);
    request.end(message.body);
  });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const REASON_BY_CODE: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  ENODATA: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "host unreachable",
  ETIMEDOUT: "timeout",
  ERR_INVALID_URL: "invalid URL",
};

/** A reason from a short fixed list (or the guard's own refusal), never a socket's error text. */
function genericReason(error: unknown, signal: AbortSignal): string {
  if (error instanceof DestinationRefusedError) return error.message;
  if (signal.aborted) return "timeout";
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    const reason = REASON_BY_CODE[code];
    if (reason) return reason;
    if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return "TLS error";
  }
  return "connection failed";
}
