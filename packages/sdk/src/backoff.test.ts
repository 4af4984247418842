import { describe, expect, it } from "vitest";

import { fullJitterDelayMs, MAX_RETRY_AFTER_MS, parseRetryAfterMs, sleep } from "./backoff";

describe("fullJitterDelayMs", () => {
  it("draws from 0 up to initial * 2^attempt, capped at max", () => {
    expect(fullJitterDelayMs(0, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelayMs(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(fullJitterDelayMs(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(fullJitterDelayMs(30, 100, 10_000, () => 0.5)).toBe(5_000);
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2024-06-01T12:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfterMs("2", now)).toBe(2_000);
    expect(parseRetryAfterMs(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date, and a date in the past means now", () => {
    expect(parseRetryAfterMs("Sat, 01 Jun 2024 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfterMs("Sat, 01 Jun 2024 11:00:00 GMT", now)).toBe(0);
  });

  it("caps long waits and ignores what it cannot read", () => {
    expect(parseRetryAfterMs("86400", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs("", now)).toBeNull();
    expect(parseRetryAfterMs("-1", now)).toBeNull();
    expect(parseRetryAfterMs("soon", now)).toBeNull();
  });
});

describe("sleep", () => {
  it("ends early when its signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    controller.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
