import { describe, expect, it } from "vitest";

import { clientAddressBucket } from "./client-address";

describe("clientAddressBucket", () => {
  it("keeps IPv4 addresses whole, IPv4-mapped IPv6 included", () => {
    expect(clientAddressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(clientAddressBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts an IPv6 address by its /64 network, however it is written", () => {
    const bucket = "2001:db8:85a3:0::/64";
    expect(clientAddressBucket("2001:db8:85a3::8a2e:370:7334")).toBe(bucket);
    expect(clientAddressBucket("2001:0db8:85a3:0000:0000:8a2e:0370:1")).toBe(bucket);
    expect(clientAddressBucket("2001:DB8:85A3::1%eth0")).toBe(bucket);
    expect(clientAddressBucket("2001:db8:85a4::1")).not.toBe(bucket);
    expect(clientAddressBucket("::1")).toBe("0:0:0:0::/64");
  });

  it("names a missing address", () => {
    expect(clientAddressBucket(undefined)).toBe("unknown");
  });
});
