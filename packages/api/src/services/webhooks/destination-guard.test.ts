import { describe, expect, it, vi } from "vitest";

import {
  checkWebhookUrl,
  DestinationRefusedError,
  NO_ALLOWED_DESTINATIONS,
  parseAllowedDestinations,
  refusalReasonOfAddress,
  resolveDeliveryAddress,
  type Resolver,
} from "./destination-guard";

/** A resolver that answers from a table and never touches DNS. */
function stubResolver(answers: Record<string, string[]>) {
  return vi.fn<Resolver>((hostname) => {
    const addresses = answers[hostname];
    if (!addresses) return Promise.reject(new Error(`unexpected lookup of ${hostname}`));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  });
}

describe("refusalReasonOfAddress", () => {
  it.each([
    ["127.0.0.1", "loopback address"],
    ["127.255.0.9", "loopback address"],
    ["::1", "loopback address"],
    ["10.1.2.3", "private network address"],
    ["172.16.0.1", "private network address"],
    ["172.31.255.254", "private network address"],
    ["192.168.1.1", "private network address"],
    ["169.254.169.254", "link-local address (this includes cloud metadata services)"],
    ["fe80::1", "link-local address (this includes cloud metadata services)"],
    ["fc00::1", "unique-local IPv6 address"],
    ["fd12:3456::1", "unique-local IPv6 address"],
    ["0.0.0.0", "unspecified address"],
    ["::", "unspecified address"],
    ["100.64.0.1", "carrier-grade NAT address"],
    ["224.0.0.1", "multicast address"],
    ["ff02::1", "multicast address"],
    ["255.255.255.255", "broadcast address"],
    // IPv4-mapped IPv6 is judged as the IPv4 address inside it.
    ["::ffff:127.0.0.1", "loopback address"],
    ["::ffff:169.254.169.254", "link-local address (this includes cloud metadata services)"],
    ["::ffff:10.0.0.1", "private network address"],
  ])("refuses %s as a %s", (address, reason) => {
    expect(refusalReasonOfAddress(address)).toBe(reason);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "allows the public address %s",
    (address) => {
      expect(refusalReasonOfAddress(address)).toBeNull();
    },
  );

  it("refuses IPv6 transition ranges that can carry an internal IPv4 address", () => {
    expect(refusalReasonOfAddress("64:ff9b::7f00:1")).toMatch(/special-purpose/);
    expect(refusalReasonOfAddress("2002:7f00:1::1")).toMatch(/special-purpose/);
  });
});

describe("checkWebhookUrl (create and update)", () => {
  it.each([
    ["http://127.0.0.1:5432/", "loopback address"],
    ["http://[::1]/hook", "loopback address"],
    ["http://169.254.169.254/latest/meta-data/", "link-local"],
    ["http://localhost:3000/", "localhost name"],
    ["http://LOCALHOST./", "localhost name"],
    ["http://api.localhost/", "localhost name"],
    ["http://10.0.0.8/", "private network address"],
    ["http://[::ffff:7f00:1]/", "loopback address"],
    // The URL parser turns these spellings of 127.0.0.1 into the dotted form first.
    ["http://2130706433/", "loopback address"],
    ["http://0x7f.1/", "loopback address"],
  ])("refuses %s (%s)", (url, reason) => {
    expect(() => checkWebhookUrl(url, NO_ALLOWED_DESTINATIONS)).toThrow(DestinationRefusedError);
    expect(() => checkWebhookUrl(url, NO_ALLOWED_DESTINATIONS)).toThrow(reason);
  });

  it("accepts public addresses and host names (names are checked, resolved, at delivery)", () => {
    expect(() =>
      checkWebhookUrl("https://hooks.example.com/x", NO_ALLOWED_DESTINATIONS),
    ).not.toThrow();
    expect(() => checkWebhookUrl("https://93.184.216.34/x", NO_ALLOWED_DESTINATIONS)).not.toThrow();
  });

  it("accepts what the allow-list names", () => {
    const allowed = parseAllowedDestinations("localhost, 10.20.0.0/16, fd00::/8, 127.0.0.1");
    expect(() => checkWebhookUrl("http://localhost:8080/", allowed)).not.toThrow();
    expect(() => checkWebhookUrl("http://10.20.3.4/", allowed)).not.toThrow();
    expect(() => checkWebhookUrl("http://[fd00::5]/", allowed)).not.toThrow();
    expect(() => checkWebhookUrl("http://127.0.0.1:9/", allowed)).not.toThrow();
    expect(() => checkWebhookUrl("http://10.21.0.1/", allowed)).toThrow("private network");
    expect(() => checkWebhookUrl("http://127.0.0.2/", allowed)).toThrow("loopback");
  });
});

describe("parseAllowedDestinations", () => {
  it("reads host names, addresses and ranges; empty means none", () => {
    expect(parseAllowedDestinations(undefined)).toEqual({ hosts: new Set(), ranges: [] });
    expect(parseAllowedDestinations(" , ")).toEqual({ hosts: new Set(), ranges: [] });
    const allowed = parseAllowedDestinations("Hooks.Corp.Internal, 10.0.0.0/8,::1");
    expect([...allowed.hosts]).toEqual(["hooks.corp.internal"]);
    expect(allowed.ranges.map(([network, prefix]) => `${network.toString()}/${prefix}`)).toEqual([
      "10.0.0.0/8",
      "::1/128",
    ]);
  });

  it("names an entry it cannot read", () => {
    expect(() => parseAllowedDestinations("10.0.0.0/99")).toThrow('"10.0.0.0/99"');
    expect(() => parseAllowedDestinations("http://hooks/")).toThrow('"http://hooks/"');
  });
});

describe("resolveDeliveryAddress (every attempt)", () => {
  it("returns the checked address of a public name", async () => {
    const resolve = stubResolver({ "hooks.example.com": ["93.184.216.34"] });
    await expect(
      resolveDeliveryAddress(
        new URL("https://hooks.example.com/x"),
        NO_ALLOWED_DESTINATIONS,
        resolve,
      ),
    ).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("refuses a public-looking name that resolves to an internal address", async () => {
    const resolve = stubResolver({ "metadata.attacker.example": ["169.254.169.254"] });
    await expect(
      resolveDeliveryAddress(
        new URL("http://metadata.attacker.example/"),
        NO_ALLOWED_DESTINATIONS,
        resolve,
      ),
    ).rejects.toThrow("destination refused: link-local address");
  });

  it("refuses a name when ANY of its addresses is internal", async () => {
    const resolve = stubResolver({ "mixed.example.com": ["93.184.216.34", "::ffff:10.0.0.1"] });
    await expect(
      resolveDeliveryAddress(
        new URL("http://mixed.example.com/"),
        NO_ALLOWED_DESTINATIONS,
        resolve,
      ),
    ).rejects.toThrow("private network address");
  });

  it("refuses localhost names and literal addresses without a lookup", async () => {
    const resolve = stubResolver({});
    await expect(
      resolveDeliveryAddress(new URL("http://localhost/"), NO_ALLOWED_DESTINATIONS, resolve),
    ).rejects.toThrow("localhost name");
    await expect(
      resolveDeliveryAddress(new URL("http://[::1]:5432/"), NO_ALLOWED_DESTINATIONS, resolve),
    ).rejects.toThrow("loopback address");
    expect(resolve).not.toHaveBeenCalled();
  });

  it("lets an allowed host name or range through", async () => {
    const resolve = stubResolver({
      "hooks.corp.internal": ["10.9.8.7"],
      "ci.corp.internal": ["10.20.1.1"],
    });
    const allowed = parseAllowedDestinations("hooks.corp.internal,10.20.0.0/16");
    await expect(
      resolveDeliveryAddress(new URL("https://hooks.corp.internal/"), allowed, resolve),
    ).resolves.toEqual({ address: "10.9.8.7", family: 4 });
    await expect(
      resolveDeliveryAddress(new URL("https://ci.corp.internal/"), allowed, resolve),
    ).resolves.toEqual({ address: "10.20.1.1", family: 4 });
  });
});
