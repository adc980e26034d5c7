import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** What {@link blockedAddressReason} may let through. */
export interface AddressAllowance {
  /**
   * Let private, loopback and other non-public addresses through (development, self-hosted receivers on a private
   * network). Cloud metadata endpoints stay refused even then: a receiver never lives there, and the response body
   * we record would hand out the host's cloud credentials.
   * @default false
   */
  allowPrivate?: boolean;
}

interface Rule {
  list: BlockList;
  reason: string;
  /** Refused even when private addresses are allowed. */
  metadata: boolean;
}

function rule(family: 'ipv4' | 'ipv6', network: string, prefix: number, reason: string, metadata = false): Rule {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, reason, metadata };
}

// IANA IPv4 special-purpose registry plus the metadata endpoints of the big clouds. First match names the reason,
// so the single addresses come before the ranges that contain them.
const IPV4_RULES: Rule[] = [
  rule('ipv4', '169.254.169.254', 32, 'cloud metadata address', true), // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack
  rule('ipv4', '169.254.170.2', 32, 'cloud metadata address', true), // AWS ECS task credentials
  rule('ipv4', '169.254.170.23', 32, 'cloud metadata address', true), // AWS EKS pod identity
  rule('ipv4', '169.254.0.23', 32, 'cloud metadata address', true), // Tencent Cloud
  rule('ipv4', '100.100.100.200', 32, 'cloud metadata address', true), // Alibaba Cloud
  rule('ipv4', '192.0.0.192', 32, 'cloud metadata address', true), // Oracle Cloud (legacy endpoint)
  // Publicly routed on paper, but only answers from inside Azure, where it serves VM agent configuration.
  rule('ipv4', '168.63.129.16', 32, 'cloud platform address', true),
  rule('ipv4', '0.0.0.0', 32, 'unspecified address'),
  rule('ipv4', '255.255.255.255', 32, 'broadcast address'),
  rule('ipv4', '0.0.0.0', 8, "'this network' address"),
  rule('ipv4', '10.0.0.0', 8, 'private address'),
  rule('ipv4', '100.64.0.0', 10, 'carrier-grade NAT address'),
  rule('ipv4', '127.0.0.0', 8, 'loopback address'),
  rule('ipv4', '169.254.0.0', 16, 'link-local address'),
  rule('ipv4', '172.16.0.0', 12, 'private address'),
  rule('ipv4', '192.0.0.0', 24, 'IETF protocol assignment address'),
  rule('ipv4', '192.0.2.0', 24, 'documentation address'),
  rule('ipv4', '192.88.99.0', 24, '6to4 relay anycast address'),
  rule('ipv4', '192.168.0.0', 16, 'private address'),
  rule('ipv4', '198.18.0.0', 15, 'benchmarking address'),
  rule('ipv4', '198.51.100.0', 24, 'documentation address'),
  rule('ipv4', '203.0.113.0', 24, 'documentation address'),
  rule('ipv4', '224.0.0.0', 4, 'multicast address'),
  rule('ipv4', '240.0.0.0', 4, 'reserved address'),
];

// Ranges that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that address before this table is used.
const IPV6_RULES: Rule[] = [
  rule('ipv6', 'fd00:ec2::254', 128, 'cloud metadata address', true), // AWS instance metadata over IPv6
  rule('ipv6', '::', 96, 'IPv4-compatible address (deprecated)'),
  rule('ipv6', '64:ff9b:1::', 48, 'local-use NAT64 address'),
  rule('ipv6', '100::', 64, 'discard-only address'),
  rule('ipv6', '2001::', 32, 'Teredo tunnel address'),
  rule('ipv6', '2001:2::', 48, 'benchmarking address'),
  rule('ipv6', '2001:10::', 28, 'ORCHID address'),
  rule('ipv6', '2001:20::', 28, 'ORCHIDv2 address'),
  rule('ipv6', '2001:db8::', 32, 'documentation address'),
  rule('ipv6', '3fff::', 20, 'documentation address'),
  rule('ipv6', 'fc00::', 7, 'unique-local address'),
  rule('ipv6', 'fe80::', 10, 'link-local address'),
  rule('ipv6', 'fec0::', 10, 'site-local address'),
  rule('ipv6', 'ff00::', 8, 'multicast address'),
];

// Everything routable on the IPv6 internet today is global unicast; the rest of the space is unassigned or special.
const IPV6_GLOBAL_UNICAST = rule('ipv6', '2000::', 3, 'IPv6 address outside global unicast space');

/**
 * Why `ip` must not be a webhook target, e.g. `loopback address 127.0.0.1`; `undefined` for a public address.
 *
 * Expects an address as a resolver or `new URL().hostname` produces it (brackets and a `%zone` are tolerated); odd
 * spellings such as `0177.0.0.1` are not addresses here and are refused, so put hosts people typed through
 * `normalizeHost` first. Addresses that embed an IPv4 address (`::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16`) are judged by the embedded address, because that is where the packets end up.
 */
export function blockedAddressReason(ip: string, allowance: AddressAllowance = {}): string | undefined {
  const text = stripBrackets(ip.trim());
  // A zone only picks the interface, never where the packets go: judge and name the address without it.
  const address = text.split('%')[0] ?? '';
  const found = isIPv4(address) ? ipv4Rule(address) : isIPv6(address) ? ipv6Rule(address) : unparsable(text);
  if (found === undefined || (allowance.allowPrivate === true && !found.metadata)) return undefined;
  return found.reason;
}

interface Finding {
  reason: string;
  metadata: boolean;
}

function ipv4Rule(address: string): Finding | undefined {
  const match = IPV4_RULES.find((candidate) => candidate.list.check(address, 'ipv4'));
  return match && { reason: `${match.reason} ${address}`, metadata: match.metadata };
}

function ipv6Rule(address: string): Finding | undefined {
  const groups = ipv6Groups(address);
  if (groups.every((group) => group === 0)) return { reason: `unspecified address ${address}`, metadata: false };
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) {
    return { reason: `loopback address ${address}`, metadata: false };
  }
  const embedded = embeddedIpv4(groups);
  if (embedded !== undefined) {
    const inner = ipv4Rule(embedded.ipv4);
    return inner && { reason: `${embedded.kind} ${address} (${inner.reason})`, metadata: inner.metadata };
  }
  const match = IPV6_RULES.find((candidate) => candidate.list.check(address, 'ipv6'));
  if (match) return { reason: `${match.reason} ${address}`, metadata: match.metadata };
  if (!IPV6_GLOBAL_UNICAST.list.check(address, 'ipv6')) {
    return { reason: `${IPV6_GLOBAL_UNICAST.reason} ${address}`, metadata: false };
  }
  return undefined;
}

function unparsable(text: string): Finding {
  // Fail closed: whatever this is, we cannot say where it leads.
  return { reason: `unrecognised address ${JSON.stringify(text)}`, metadata: false };
}

/** The IPv4 address an IPv6 address carries, for the forms that deliver to it. */
function embeddedIpv4(groups: number[]): { kind: string; ipv4: string } | undefined {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return { kind: 'IPv4-mapped address', ipv4: ipv4Of(g6, g7) };
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return { kind: 'NAT64 address', ipv4: ipv4Of(g6, g7) };
  }
  if (g0 === 0x2002) {
    return { kind: '6to4 address', ipv4: ipv4Of(g1 ?? 0, g2 ?? 0) };
  }
  return undefined;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an address that `isIPv6` accepted (so the syntax is already known to be valid). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dottedTail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dottedTail) {
    const [a, b, c, d] = dottedTail.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, dottedTail.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function stripBrackets(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}
