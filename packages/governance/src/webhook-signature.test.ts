import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  signWebhookDelivery,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from "./webhook-signature";

const secret = "whsec_test";
const body = '{"event":"promotion.approved"}';
const timestamp = 1_700_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe("signWebhookDelivery", () => {
  it("signs `${timestamp}.${deliveryId}.${body}` with HMAC-SHA256 (known answer from openssl)", () => {
    // printf '1700000000.d-1.{"event":"promotion.approved"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhookDelivery({ secret, deliveryId: "d-1", body, timestamp })).toEqual({
      "Plumbline-Signature": "v1=e546b100e7fd678cbfe966d1d128a1469f1d0812e15481d83fba9e2f65126965",
      "Plumbline-Timestamp": "1700000000",
      "Plumbline-Delivery": "d-1",
    });
  });

  it("refuses a timestamp that is not whole Unix seconds", () => {
    expect(() => signWebhookDelivery({ secret, deliveryId: "d-1", body, timestamp: 1.5 })).toThrow(
      RangeError,
    );
  });
});

describe("verifyWebhookSignature", () => {
  const headers = signWebhookDelivery({ secret, deliveryId: "d-1", body, timestamp });

  it("round-trips, with header names in any case", () => {
    expect(verifyWebhookSignature({ secret, headers, body, now: at(timestamp + 10) })).toEqual({
      ok: true,
      deliveryId: "d-1",
      timestamp,
    });
    const lower = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key.toLowerCase(), [value]]),
    );
    expect(verifyWebhookSignature({ secret, headers: lower, body, now: at(timestamp) }).ok).toBe(
      true,
    );
  });

  it("detects a tampered body, delivery id, timestamp or secret", () => {
    const now = at(timestamp);
    const mismatch = { ok: false, reason: "signature_mismatch" };
    expect(
      verifyWebhookSignature({ secret, headers, body: body.replace("approved", "rejected"), now }),
    ).toEqual(mismatch);
    expect(
      verifyWebhookSignature({
        secret,
        headers: { ...headers, [DELIVERY_HEADER]: "d-2" },
        body,
        now,
      }),
    ).toEqual(mismatch);
    expect(
      verifyWebhookSignature({
        secret,
        headers: { ...headers, [TIMESTAMP_HEADER]: String(timestamp + 1) },
        body,
        now,
      }),
    ).toEqual(mismatch);
    expect(verifyWebhookSignature({ secret: "whsec_other", headers, body, now })).toEqual(mismatch);
  });

  it("refuses a timestamp outside the tolerance (default 300 s) either way", () => {
    expect(DEFAULT_SIGNATURE_TOLERANCE_SECONDS).toBe(300);
    expect(verifyWebhookSignature({ secret, headers, body, now: at(timestamp + 300) }).ok).toBe(
      true,
    );
    expect(verifyWebhookSignature({ secret, headers, body, now: at(timestamp + 301) })).toEqual({
      ok: false,
      reason: "timestamp_out_of_tolerance",
    });
    expect(verifyWebhookSignature({ secret, headers, body, now: at(timestamp - 301) }).ok).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({
        secret,
        headers,
        body,
        now: at(timestamp + 900),
        toleranceSeconds: 1000,
      }).ok,
    ).toBe(true);
  });

  it("accepts any of several v1 signatures (secret rotation)", () => {
    const old = signWebhookDelivery({ secret: "whsec_old", deliveryId: "d-1", body, timestamp });
    const both = {
      ...headers,
      [SIGNATURE_HEADER]: `${old[SIGNATURE_HEADER]}, ${headers[SIGNATURE_HEADER]}`,
    };
    expect(verifyWebhookSignature({ secret, headers: both, body, now: at(timestamp) }).ok).toBe(
      true,
    );
  });

  it("reports missing and malformed headers", () => {
    const now = at(timestamp);
    const { [SIGNATURE_HEADER]: _dropped, ...withoutSignature } = headers;
    expect(verifyWebhookSignature({ secret, headers: withoutSignature, body, now })).toEqual({
      ok: false,
      reason: "missing_header",
    });
    for (const broken of [
      { [SIGNATURE_HEADER]: "sha256=abc" },
      { [SIGNATURE_HEADER]: "v1=xyz" },
      { [TIMESTAMP_HEADER]: "yesterday" },
    ]) {
      expect(
        verifyWebhookSignature({ secret, headers: { ...headers, ...broken }, body, now }),
      ).toEqual({
        ok: false,
        reason: "malformed_header",
      });
    }
  });

  it("verifies whatever was signed (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.uuid(),
        (key, payload, deliveryId) => {
          const signed = signWebhookDelivery({ secret: key, deliveryId, body: payload, timestamp });
          expect(
            verifyWebhookSignature({
              secret: key,
              headers: signed,
              body: payload,
              now: at(timestamp),
            }).ok,
          ).toBe(true);
          expect(
            verifyWebhookSignature({
              secret: key,
              headers: signed,
              body: `${payload} `,
              now: at(timestamp),
            }).ok,
          ).toBe(false);
        },
      ),
    );
  });
});
