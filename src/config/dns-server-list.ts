import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * `DNS_SERVERS`: comma-separated `ip`, `ip:port` or `[ipv6]:port`, as c-ares takes them. Addresses only: a server
 * given by name would need a resolver of its own.
 */
export const dnsServerList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .refine(
    (entries) => entries.length > 0 && entries.every(isDnsServer),
    'must be comma-separated IP addresses, each optionally with :port ([ipv6]:port)',
  );

function isDnsServer(entry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) return isIP(bracketed[1] ?? '') === 6 && validPort(bracketed[2]);
  if (isIP(entry) !== 0) return true;
  const withPort = /^([^:]+):(\d{1,5})$/.exec(entry);
  return withPort !== null && isIP(withPort[1] ?? '') === 4 && validPort(withPort[2]);
}

function validPort(text: string | undefined): boolean {
  return text === undefined || (Number(text) >= 1 && Number(text) <= 65535);
}
