import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  MAX_DELIVERY_ATTEMPTS,
  nextDeliveryAttempt,
  RETRY_DELAYS_SECONDS,
  RETRY_JITTER_RATIO,
} from "./webhook-retry";

describe("nextDeliveryAttempt", () => {
  it("follows the schedule: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, then gives up", () => {
    expect(RETRY_DELAYS_SECONDS).toEqual([30, 120, 600, 1800, 3600, 10800, 21600]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    expect(nextDeliveryAttempt(1, () => 0.5)).toEqual({
      retry: true,
      attempt: 2,
      delayMs: 30_000,
      minDelayMs: 24_000,
      maxDelayMs: 36_000,
    });
    expect(nextDeliveryAttempt(7, () => 0.5)).toMatchObject({ attempt: 8, delayMs: 21_600_000 });
    expect(nextDeliveryAttempt(MAX_DELIVERY_ATTEMPTS)).toEqual({ retry: false });
    expect(nextDeliveryAttempt(99)).toEqual({ retry: false });
  });

  it("refuses an attempt number that is not a whole number from 1", () => {
    expect(() => nextDeliveryAttempt(0)).toThrow(RangeError);
    expect(() => nextDeliveryAttempt(1.5)).toThrow(RangeError);
  });

  it("keeps the jittered delay within ±20 % of the base and increasing at the bounds", () => {
    expect(RETRY_JITTER_RATIO).toBe(0.2);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_DELIVERY_ATTEMPTS - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (failed, unit) => {
          const next = nextDeliveryAttempt(failed, () => unit);
          if (!next.retry) throw new Error("expected a retry");
          const base = (RETRY_DELAYS_SECONDS[failed - 1] ?? 0) * 1000;
          expect(next.delayMs).toBeGreaterThanOrEqual(base * 0.8);
          expect(next.delayMs).toBeLessThanOrEqual(base * 1.2);
        },
      ),
    );
    for (let failed = 1; failed < MAX_DELIVERY_ATTEMPTS - 1; failed++) {
      const here = nextDeliveryAttempt(failed, () => 0.999);
      const after = nextDeliveryAttempt(failed + 1, () => 0);
      if (!here.retry || !after.retry) throw new Error("expected retries");
      expect(after.delayMs).toBeGreaterThan(here.delayMs);
    }
  });
});
