// @vitest-environment node
import http from "node:http";
import type { AddressInfo } from "node:net";

import { describe, expect, it } from "vitest";

import { parseTrustedProxies, requestClientAddress } from "@plumbline/auth/client-address";

import { stampPeerAddresses } from "./peer-address";

/** Headers a request handler sees, as a fetch `Headers`. */
async function headersSeen(sent: Record<string, string>): Promise<Headers> {
  stampPeerAddresses();
  let seen: Headers | undefined;
  const server = http.createServer((request, response) => {
    seen = new Headers(request.headers as Record<string, string>);
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/`, { headers: sent });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return seen!;
}

describe("the client address of a request to the web app", () => {
  it("ignores a spoofed X-Forwarded-For and peer header from a peer that is not a proxy", async () => {
    const headers = await headersSeen({
      "x-forwarded-for": "203.0.113.66",
      "x-plumbline-peer": "203.0.113.67",
    });
    expect(requestClientAddress(headers, parseTrustedProxies(""))).toBe("127.0.0.1");
  });

  it("believes X-Forwarded-For when the peer is a configured proxy", async () => {
    const headers = await headersSeen({ "x-forwarded-for": "1.2.3.4, 198.51.100.20" });
    expect(requestClientAddress(headers, parseTrustedProxies("127.0.0.1"))).toBe("198.51.100.20");
  });
});
