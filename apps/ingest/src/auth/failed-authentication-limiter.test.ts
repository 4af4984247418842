import { describe, expect, it } from "vitest";

import { FailedAuthenticationLimiter } from "./failed-authentication-limiter";

function limiter(options: { burst?: number; maxAddresses?: number } = {}) {
  let now = 1_000_000;
  const limit = new FailedAuthenticationLimiter({
    perSecond: 2,
    burst: options.burst ?? 3,
    maxAddresses: options.maxAddresses ?? 100,
    now: () => now,
  });
  return { limit, advance: (ms: number) => (now += ms) };
}

describe("FailedAuthenticationLimiter", () => {
  it("lets an address fail `burst` times, then asks it to wait until a failure is earned back", () => {
    const { limit, advance } = limiter();
    expect([limit.spend("a"), limit.spend("a"), limit.spend("a")]).toEqual([null, null, null]);
    expect(limit.spend("a")).toBe(1);
    expect(limit.spend("b")).toBeNull();
    advance(500);
    expect(limit.spend("a")).toBeNull();
    expect(limit.spend("a")).toBe(1);
  });

  it("gives back what was spent ahead of a lookup whose key was valid", () => {
    const { limit } = limiter({ burst: 1 });
    expect(limit.spend("a")).toBeNull();
    limit.refund("a");
    expect(limit.spend("a")).toBeNull();
    expect(limit.spend("a")).toBe(1);
  });

  it("remembers at most maxAddresses, forgetting the idlest first", () => {
    const { limit } = limiter({ burst: 1, maxAddresses: 2 });
    limit.spend("a");
    limit.spend("b");
    limit.spend("a");
    limit.spend("c");
    // "a" was kept (still empty); "b", idle longest, was forgotten (a fresh bucket).
    expect(limit.spend("a")).toBe(1);
    expect(limit.spend("b")).toBeNull();
  });
});
