import { lookup as dnsLookup } from "node:dns/promises";

import ipaddr from "ipaddr.js";

/**
 * Where webhooks may be sent. A webhook URL is chosen by a project's admins and approvers, and the
 * worker POSTs to it from inside the deployment's network: without this guard a subscription to
 * `http://169.254.169.254/` or `http://127.0.0.1:5432/` turns the worker into a probe of the
 * internal network (server-side request forgery). The rules are in docs/webhook-destinations.md.
 *
 * Two checks, one policy:
 * - `checkWebhookUrl` when a webhook is created or updated: refuses `localhost` names and literal
 *   internal addresses, so that an obvious mistake is named at once;
 * - `resolveDeliveryAddress` at every delivery attempt: resolves the host name, checks EVERY
 *   address it resolves to, and hands back the one checked address the caller must connect to
 *   (no second lookup, so a DNS answer that changes between check and connect cannot slip in).
 */

/** What an operator allowed with PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS. */
export interface AllowedDestinations {
  /** Lower-case host names, matched exactly (no wildcards). */
  hosts: ReadonlySet<string>;
  /** Address ranges, as ipaddr.js parsed them. */
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export const NO_ALLOWED_DESTINATIONS: AllowedDestinations = { hosts: new Set(), ranges: [] };

/**
 * Parses the comma-separated allow-list: each entry a host name (`hooks.corp.internal`), an address
 * (`10.1.2.3`, a /32 or /128) or a CIDR range (`10.20.0.0/16`, `fd00::/8`). Throws on an entry
 * that is none of these, naming it, so a typo fails at start-up instead of silently allowing less.
 */
export function parseAllowedDestinations(value: string | undefined): AllowedDestinations {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry.includes("/")) {
      if (!ipaddr.isValidCIDR(entry)) {
        throw new Error(`"${entry}" is not a valid CIDR range (for example 10.20.0.0/16)`);
      }
      ranges.push(ipaddr.parseCIDR(entry));
    } else if (ipaddr.isValid(unbracket(entry))) {
      const address = ipaddr.parse(unbracket(entry));
      ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) {
      hosts.add(entry);
    } else {
      throw new Error(`"${entry}" is neither a host name, an IP address nor a CIDR range`);
    }
  }
  return { hosts, ranges };
}

/** Why a destination is refused; `reason` is safe to show to the webhook's owner. */
export class DestinationRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`destination refused: ${reason}`);
    this.name = "DestinationRefusedError";
  }
}

/** ipaddr.js's range names, in words a webhook's owner understands. */
const RANGE_REASONS: Record<string, string> = {
  unspecified: "unspecified address",
  broadcast: "broadcast address",
  multicast: "multicast address",
  linkLocal: "link-local address (this includes cloud metadata services)",
  loopback: "loopback address",
  carrierGradeNat: "carrier-grade NAT address",
  private: "private network address",
  uniqueLocal: "unique-local IPv6 address",
  reserved: "reserved address",
};

/**
 * Why `address` must not receive webhooks, or null when it is a public unicast address. Anything
 * ipaddr.js does not classify as plain unicast is refused: besides the ranges named above that
 * covers reserved, documentation, benchmarking and the IPv6 transition ranges (6to4, Teredo,
 * NAT64), which can carry an internal IPv4 address inside a public-looking IPv6 one. An
 * IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries.
 */
export function refusalReasonOfAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === "unicast") return null;
  return RANGE_REASONS[range] ?? `special-purpose address (${range})`;
}

function isAllowedAddress(address: string, allowed: AllowedDestinations): boolean {
  const parsed = ipaddr.process(address);
  return allowed.ranges.some(([network, prefix]) => {
    if (network.kind() !== parsed.kind()) return false;
    return parsed.match(network, prefix);
  });
}

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function isLocalhostName(host: string): boolean {
  // RFC 6761: `localhost` and every name under it resolve to loopback.
  return host === "localhost" || host.endsWith(".localhost");
}

/** The URL's host in canonical form: lower case, no brackets, no trailing dot. */
function hostOf(url: URL): string {
  return unbracket(url.hostname.toLowerCase()).replace(/\.$/, "");
}

/**
 * The check at create/update time: refuses `localhost` names and literal internal addresses
 * unless the allow-list names them. A host name is not resolved here (what it resolves to can
 * change at any time); every delivery attempt checks it again, resolved.
 */
export function checkWebhookUrl(url: string, allowed: AllowedDestinations): void {
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new DestinationRefusedError("non-HTTP URL (only http and https are sent)");
  }
  const host = hostOf(parsed);
  if (allowed.hosts.has(host)) return;
  if (ipaddr.isValid(host)) {
    const reason = refusalReasonOfAddress(host);
    if (reason && !isAllowedAddress(host, allowed)) throw new DestinationRefusedError(reason);
    return;
  }
  if (isLocalhostName(host)) throw new DestinationRefusedError("localhost name");
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; tests replace it, so that nothing is looked up. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({
    address: answer.address,
    family: answer.family === 6 ? 6 : 4,
  }));
};

/**
 * The address one delivery attempt connects to. Resolves `url`'s host (a literal address is its
 * own answer), refuses the whole destination if ANY resolved address is internal (a name with one
 * public and one private address would otherwise be a coin toss), and returns the first address.
 * A host on the allow-list skips the address check; an address inside an allowed range passes it.
 * Throws DestinationRefusedError before anything is connected.
 */
export async function resolveDeliveryAddress(
  url: URL,
  allowed: AllowedDestinations,
  resolve: Resolver = systemResolver,
): Promise<ResolvedAddress> {
  const host = hostOf(url);
  const hostAllowed = allowed.hosts.has(host);
  if (!hostAllowed && isLocalhostName(host)) throw new DestinationRefusedError("localhost name");
  const addresses: ResolvedAddress[] = ipaddr.isValid(host)
    ? [{ address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 }]
    : await resolve(host);
  if (addresses.length === 0) throw new DestinationRefusedError("the host name has no address");
  if (!hostAllowed) {
    for (const { address } of addresses) {
      const reason = refusalReasonOfAddress(address);
      if (reason && !isAllowedAddress(address, allowed)) {
        throw new DestinationRefusedError(reason);
      }
    }
  }
  return addresses[0]!;
}
