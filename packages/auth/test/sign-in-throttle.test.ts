import { BlockList } from "node:net";

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyAuditChain } from "@plumbline/db/audit";
import { createUser } from "@plumbline/db/factories";
import { auditLog, signInThrottle } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { parseTrustedProxies, resolveClientAddress } from "../src/client-address";
import { signInWithPassword } from "../src/credentials";
import {
  PASSWORD_HASHING_CONCURRENCY,
  passwordHashingSlots,
  Semaphore,
} from "../src/hashing-slots";
import { SIGN_IN_THROTTLE, throttleDelayMs } from "../src/sign-in-throttle";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** A clock the test moves by hand. */
function clock(start = new Date("2026-03-01T10:00:00Z")) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("sign-in throttling over the real credentials path", () => {
  it("gives five free failures, then waits 1 s, 2 s, 4 s... and audits the lockout", async () => {
    const user = await createUser(database.db, { email: "ada@example.test", password: "right" });
    const time = clock();
    const attempt = (password: string, address = "203.0.113.7") =>
      signInWithPassword(database.db, { email: "Ada@example.test", password, address }, time.now);
    for (let index = 0; index < 5; index += 1) {
      expect(await attempt("wrong")).toEqual({ ok: false, reason: "invalid_credentials" });
    }
    // The sixth failure locks the account for 1 s.
    expect(await attempt("wrong")).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await attempt("right")).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: 1,
    });
    // From another address too: the account itself waits.
    expect(await attempt("right", "198.51.100.1")).toMatchObject({ reason: "throttled" });
    time.advance(1_000);
    expect(await attempt("wrong")).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await attempt("right")).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: 2,
    });
    time.advance(2_000);
    expect(await attempt("right")).toMatchObject({ ok: true, user: { id: user.id } });
    // Success clears the account's count.
    const [row] = await database.db
      .select()
      .from(signInThrottle)
      .where(and(eq(signInThrottle.scope, "account"), eq(signInThrottle.key, "ada@example.test")));
    expect(row).toBeUndefined();

    const lockouts = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "sign_in.locked"));
    expect(lockouts).toMatchObject([
      {
        actorType: "system",
        actorId: "sign-in-throttle",
        resourceType: "sign_in_account",
        resourceId: "ada@example.test",
        ip: "203.0.113.7",
        after: { failures: 6 },
      },
    ]);
    expect(await verifyAuditChain(database.db, null)).toMatchObject({ ok: true });
  });

  it("throttles an address that sprays many accounts, unknown emails included", async () => {
    const time = clock();
    const free = SIGN_IN_THROTTLE.freeFailures.address;
    for (let index = 0; index <= free; index += 1) {
      await signInWithPassword(
        database.db,
        { email: `nobody-${index}@example.test`, password: "guess", address: "192.0.2.55" },
        time.now,
      );
    }
    const next = await signInWithPassword(
      database.db,
      { email: "fresh@example.test", password: "guess", address: "192.0.2.55" },
      time.now,
    );
    expect(next).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 1 });
    const other = await signInWithPassword(
      database.db,
      { email: "fresh@example.test", password: "guess", address: "192.0.2.56" },
      time.now,
    );
    expect(other).toEqual({ ok: false, reason: "invalid_credentials" });
  });

  it("doubles the delay up to a cap", () => {
    expect(throttleDelayMs("account", 5)).toBe(0);
    expect(throttleDelayMs("account", 6)).toBe(1_000);
    expect(throttleDelayMs("account", 7)).toBe(2_000);
    expect(throttleDelayMs("account", 10)).toBe(16_000);
    expect(throttleDelayMs("account", 10_000)).toBe(SIGN_IN_THROTTLE.maxDelayMs);
  });

  it("runs at most a few password hashes at once", async () => {
    await createUser(database.db, { email: "burst@example.test", password: "pw" });
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, passwordHashingSlots.busy);
    }, 1);
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        signInWithPassword(database.db, {
          email: "burst@example.test",
          password: index === 0 ? "pw" : "no",
          address: `198.18.0.${index}`,
        }),
      ),
    );
    clearInterval(watch);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(PASSWORD_HASHING_CONCURRENCY);
  });

  it("queues tasks beyond the semaphore's size", async () => {
    const slots = new Semaphore(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        slots.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(slots.busy).toBe(0);
  });
});

describe("the client address", () => {
  const none = new BlockList();
  const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.10");

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(resolveClientAddress({ peer: "203.0.113.9", forwardedFor: "1.2.3.4" }, none)).toBe(
      "203.0.113.9",
    );
    expect(resolveClientAddress({ peer: "203.0.113.9", forwardedFor: "1.2.3.4" }, proxies)).toBe(
      "203.0.113.9",
    );
  });

  it("takes the first untrusted hop behind trusted proxies, never a prepended one", () => {
    expect(
      resolveClientAddress({ peer: "10.1.2.3", forwardedFor: "1.2.3.4, 198.51.100.20" }, proxies),
    ).toBe("198.51.100.20");
    expect(
      resolveClientAddress(
        { peer: "::ffff:10.1.2.3", forwardedFor: "198.51.100.20, 192.168.1.10" },
        proxies,
      ),
    ).toBe("198.51.100.20");
    expect(resolveClientAddress({ peer: "10.1.2.3", forwardedFor: null }, proxies)).toBe(
      "10.1.2.3",
    );
    expect(
      resolveClientAddress({ peer: "10.1.2.3", forwardedFor: "not-an-address" }, proxies),
    ).toBeNull();
    expect(resolveClientAddress({ peer: null, forwardedFor: "1.2.3.4" }, proxies)).toBeNull();
  });

  it("refuses a malformed PLUMBLINE_TRUSTED_PROXIES at start-up, naming it", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/PLUMBLINE_TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/not an IP address/);
  });
});
