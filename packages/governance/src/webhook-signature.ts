import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signing (spec, "Events": "delivers with retries, signed with HMAC-SHA256"; issue 5:
 * "timestamp and delivery id in headers"). The signed string is
 * `${timestamp}.${deliveryId}.${body}` with the timestamp in Unix seconds, so a receiver can
 * refuse replays (old timestamp) and duplicates (seen delivery id) and detect any change to the
 * body. The signature header may list several `v1=` values (comma separated) while a secret
 * rotates; any one matching is enough.
 *
 * @example
 * const headers = signWebhookDelivery({ secret, deliveryId: "d-1", body, timestamp: 1700000000 });
 * // { "Plumbline-Signature": "v1=5f…", "Plumbline-Timestamp": "1700000000", "Plumbline-Delivery": "d-1" }
 * verifyWebhookSignature({ secret, headers, body, now: new Date(1700000100_000) }); // { ok: true }
 */
export const SIGNATURE_HEADER = "Plumbline-Signature";
export const TIMESTAMP_HEADER = "Plumbline-Timestamp";
export const DELIVERY_HEADER = "Plumbline-Delivery";

/** Spec-free default, the common industry choice (Stripe, Slack): five minutes either way. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookDelivery {
  secret: string;
  deliveryId: string;
  body: string;
  /** Unix seconds. */
  timestamp: number;
}

export type WebhookSignatureHeaders = Record<
  typeof SIGNATURE_HEADER | typeof TIMESTAMP_HEADER | typeof DELIVERY_HEADER,
  string
>;

export function computeWebhookSignature(delivery: WebhookDelivery): string {
  return createHmac("sha256", delivery.secret)
    .update(`${delivery.timestamp}.${delivery.deliveryId}.${delivery.body}`, "utf8")
    .digest("hex");
}

export function signWebhookDelivery(delivery: WebhookDelivery): WebhookSignatureHeaders {
  if (!Number.isSafeInteger(delivery.timestamp)) {
    throw new RangeError("signWebhookDelivery: timestamp must be whole Unix seconds");
  }
  return {
    [SIGNATURE_HEADER]: `v1=${computeWebhookSignature(delivery)}`,
    [TIMESTAMP_HEADER]: String(delivery.timestamp),
    [DELIVERY_HEADER]: delivery.deliveryId,
  };
}

export type WebhookVerification =
  | { ok: true; deliveryId: string; timestamp: number }
  | {
      ok: false;
      reason:
        "missing_header" | "malformed_header" | "timestamp_out_of_tolerance" | "signature_mismatch";
    };

export interface VerifyWebhookInput {
  secret: string;
  /** Incoming headers; names are matched case-insensitively; array values use the first. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body exactly as received (not re-serialised JSON). */
  body: string;
  now?: Date;
  toleranceSeconds?: number;
}

/** Checks a delivery's signature in constant time and its timestamp against `now ± tolerance`. */
export function verifyWebhookSignature(input: VerifyWebhookInput): WebhookVerification {
  const signature = header(input.headers, SIGNATURE_HEADER);
  const timestampText = header(input.headers, TIMESTAMP_HEADER);
  const deliveryId = header(input.headers, DELIVERY_HEADER);
  if (signature === undefined || timestampText === undefined || deliveryId === undefined) {
    return { ok: false, reason: "missing_header" };
  }
  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: "malformed_header" };
  const candidates = signature
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => part.slice(3));
  if (candidates.length === 0 || candidates.some((hex) => !/^[0-9a-f]{64}$/.test(hex))) {
    return { ok: false, reason: "malformed_header" };
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    return { ok: false, reason: "timestamp_out_of_tolerance" };
  }
  const expected = Buffer.from(
    computeWebhookSignature({ secret: input.secret, deliveryId, body: input.body, timestamp }),
    "hex",
  );
  const matches = candidates.some((hex) => timingSafeEqual(Buffer.from(hex, "hex"), expected));
  return matches
    ? { ok: true, deliveryId, timestamp }
    : { ok: false, reason: "signature_mismatch" };
}

function header(headers: VerifyWebhookInput["headers"], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
