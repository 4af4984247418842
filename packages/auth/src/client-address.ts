import { BlockList, isIP } from "node:net";

/** Trusted proxies: addresses and CIDR ranges, as `PLUMBLINE_TRUSTED_PROXIES` lists them. */
export function parseTrustedProxies(list: string): BlockList {
  const blocks = new BlockList();
  for (const raw of list.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, prefix] = entry.split("/");
    const family = isIP(address ?? "");
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > maxBits))
    ) {
      throw new Error(
        `PLUMBLINE_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range ` +
          "(for example 10.0.0.0/8, 192.168.1.10 or fd00::/8).",
      );
    }
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) blocks.addAddress(address!, type);
    else blocks.addSubnet(address!, bits, type);
  }
  return blocks;
}

/** "::ffff:10.0.0.1" is 10.0.0.1; a bracketed or port-suffixed entry is reduced to its address. */
function normalise(value: string): string | null {
  let address = value.trim();
  if (address.startsWith("[")) address = address.slice(1, address.indexOf("]"));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.split(":")[0]!;
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) {
    address = address.slice(7);
  }
  return isIP(address) === 0 ? null : address;
}

function isTrusted(trusted: BlockList, address: string): boolean {
  return trusted.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * The address of the client behind a request. `peer` is the address of the connection itself;
 * `X-Forwarded-For` is believed only as far as it was written by trusted proxies: walking from
 * the peer leftwards, each hop is skipped while it is a trusted proxy and the first other hop is
 * the client. So a header sent by a client that connects directly is ignored, and entries a
 * client prepends before a trusted proxy appends the real one are never reached. Null when
 * the peer is unknown or a hop is not an address.
 */
export function resolveClientAddress(
  input: { peer: string | null | undefined; forwardedFor: string | null | undefined },
  trusted: BlockList,
): string | null {
  const peer = input.peer ? normalise(input.peer) : null;
  if (!peer) return null;
  if (!isTrusted(trusted, peer)) return peer;
  const hops = (input.forwardedFor ?? "").split(",").filter((hop) => hop.trim() !== "");
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normalise(hops[index]!);
    if (!hop) return null;
    client = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return client;
}

/**
 * The header the web server stamps on every request with its connection's address, replacing
 * any copy a client sent (apps/web/src/server/peer-address.ts): Next.js itself only fills
 * `X-Forwarded-For` in when a client did not send one, so that header alone cannot tell.
 */
export const PEER_ADDRESS_HEADER = "x-plumbline-peer";

/** The client address of a request to the web app (see `resolveClientAddress`). */
export function requestClientAddress(headers: Headers, trusted: BlockList): string | null {
  return resolveClientAddress(
    { peer: headers.get(PEER_ADDRESS_HEADER), forwardedFor: headers.get("x-forwarded-for") },
    trusted,
  );
}
