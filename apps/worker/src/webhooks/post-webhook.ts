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

export type AttemptOutcome =
  { ok: true; responseCode: number } | { ok: false; responseCode: number | null; error: string };

export interface WebhookPost {
  url: string;
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  timeoutMs: number;
}

/** Enough of a receiver's error page to tell what went wrong, not enough to bloat the table. */
const ERROR_SNIPPET_BYTES = 300;
const MAX_ERROR_LENGTH = 500;

/**
 * Signs and POSTs one delivery; never throws. Only a 2xx counts: redirects are not followed (a
 * receiver that moved must be updated, and a signed body should not travel to a host nobody
 * configured). The timeout covers connecting, the answer and reading its body.
 */
export async function postWebhook(post: WebhookPost): Promise<AttemptOutcome> {
  const signature = signWebhookDelivery({
    secret: post.secret,
    deliveryId: post.deliveryId,
    body: post.body,
    timestamp: Math.floor(Date.now() / 1000),
  });
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Plumbline-Webhooks/1.0",
        "Plumbline-Event": post.eventType,
        ...signature,
      },
      body: post.body,
      redirect: "manual",
      signal: AbortSignal.timeout(post.timeoutMs),
    });
  } catch (error) {
    return { ok: false, responseCode: null, error: describeFetchError(error, post.timeoutMs) };
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, responseCode: response.status };
  }
  const snippet = await readSnippet(response).catch(() => "");
  const redirect = response.status >= 300 && response.status < 400;
  const error = [
    `HTTP ${response.status}${redirect ? " (redirects are not followed)" : ""}`,
    snippet.trim(),
  ]
    .filter(Boolean)
    .join(": ");
  return { ok: false, responseCode: response.status, error: error.slice(0, MAX_ERROR_LENGTH) };
}

async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return "";
  // Node's fetch yields bytes; its types say `any`.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ERROR_SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, ERROR_SNIPPET_BYTES).toString("utf8");
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") {
    return `timed out after ${timeoutMs} ms`;
  }
  if (!(error instanceof Error)) return String(error).slice(0, MAX_ERROR_LENGTH);
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error)
  // is in its cause.
  const cause: unknown = error.cause;
  let detail: string | undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    detail = typeof code === "string" ? code : cause.message;
  } else if (typeof cause === "string") {
    detail = cause;
  }
  const text = detail === undefined ? error.message : `${error.message} (${detail})`;
  return text.slice(0, MAX_ERROR_LENGTH);
}
