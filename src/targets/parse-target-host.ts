import { isIPv6 } from 'node:net';

/** A webhook host, as an address or as a name still to be resolved. */
export type NormalizedHost = { kind: 'ip'; ip: string } | { kind: 'name'; name: string };

/**
 * Says whether a host is an IP address, recognising every IPv4 spelling that `new URL()` and the system resolver
 * (`inet_aton`) accept: `2130706433`, `0177.0.0.1`, `0x7f.0x0.0x0.0x1`, `127.1`, `127.0.1`, `127.0.0.1.`. Anything
 * else is a name, lowercased and without its trailing dot (`localhost.` is `localhost`).
 *
 * `new URL().hostname` already canonicalises these spellings, but a host can also arrive raw (a `Host` header, a
 * CLI argument), and a check that saw only the raw string would miss that `0x7f.1` is loopback. IPv6 addresses
 * keep their `%zone`; brackets are removed.
 */
export function normalizeHost(hostname: string): NormalizedHost {
  let host = hostname.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
  }
  if (isIPv6(host.split('%')[0] ?? '')) {
    return { kind: 'ip', ip: host };
  }
  const ipv4 = parseIpv4(host);
  if (ipv4 !== undefined) {
    return { kind: 'ip', ip: ipv4 };
  }
  return { kind: 'name', name: host.endsWith('.') ? host.slice(0, -1) : host };
}

/** The WHATWG URL IPv4 parser (which follows inet_aton): one to four parts, the last one filling the rest. */
function parseIpv4(host: string): string | undefined {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') {
    parts.pop();
  }
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Number(part);
    if (value === undefined) return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() ?? 0;
  if (numbers.some((value) => value > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  let address = last;
  numbers.forEach((value, index) => {
    address += value * 256 ** (3 - index);
  });
  return [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join('.');
}

function parseIpv4Number(part: string): number | undefined {
  if (part === '') return undefined;
  let radix = 10;
  let digits = part;
  if (part.startsWith('0x')) {
    radix = 16;
    digits = part.slice(2);
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  if (digits === '') return 0; // WHATWG reads a bare `0x` as zero
  const valid = radix === 16 ? /^[0-9a-f]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return valid.test(digits) ? parseInt(digits, radix) : undefined;
}
