import { isIP } from "node:net";

/** The 8 hextets of an IPv6 address (zone and embedded IPv4 tail allowed), or null. */
function ipv6Hextets(address: string): string[] | null {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  // An embedded IPv4 tail (::ffff:1.2.3.4) stands for two hextets.
  const width = (parts: string[]) =>
    parts.reduce((sum, part) => sum + (part.includes(".") ? 2 : 1), 0);
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const missing = 8 - width(before) - width(after);
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  return [...before, ...Array.from({ length: missing }, () => "0"), ...after];
}

/**
 * What failed authentications are counted against: the IPv4 address, or the /64 network of an
 * IPv6 address (one subscriber usually holds a whole /64, so counting single addresses would
 * let one client rotate through 2^64 of them). IPv4-mapped IPv6 addresses count as IPv4.
 */
export function clientAddressBucket(address: string | undefined): string {
  if (!address) return "unknown";
  const plain = address.split("%")[0]!;
  if (plain.toLowerCase().startsWith("::ffff:") && isIP(plain.slice(7)) === 4) {
    return plain.slice(7);
  }
  if (isIP(plain) !== 6) return plain;
  const hextets = ipv6Hextets(plain.toLowerCase());
  if (!hextets) return plain;
  return `${hextets
    .slice(0, 4)
    .map((hextet) => Number.parseInt(hextet, 16).toString(16))
    .join(":")}::/64`;
}
