import type { RequestHandler } from 'express';
import { BadRequestError } from '../errors/bad-request-error';

/** A DNS name, an IPv4 address or a bracketed IPv6 address, then an optional port: all a client may send. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

/** Whether a `Host` header value is something a URL can be built on (`[`, `a b` or `x:99999` are not). */
export function isValidHostHeader(value: string): boolean {
  const match = HOST.exec(value);
  if (!match) return false;
  if (match[1] !== undefined && Number(match[1]) > 65_535) return false;
  try {
    new URL(`http://${value}/`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a malformed `Host` with 400 before anything reads it (audit 11: page URLs are built on it, and a value
 * `new URL` cannot parse made every list answer 500). A well-formed but foreign host is still taken at its word
 * when `PUBLIC_BASE_URL` is unset, which is why production sets it.
 */
export function requireValidHost(): RequestHandler {
  return (req, _res, next) => {
    const host = req.get('host');
    if (host !== undefined && !isValidHostHeader(host)) throw new BadRequestError('Malformed Host header.');
    next();
  };
}
