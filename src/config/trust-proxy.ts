import net from 'node:net';
import { z } from 'zod';

/** Express's `trust proxy`: nobody (false), the nearest N hops, or the proxies by address, subnet or name. */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyEntry(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY`: which proxies' `X-Forwarded-For` and `X-Forwarded-Proto` to believe, so that `req.ip` is the client
 * (the failed-authentication limiter counts by it) and `req.protocol` the scheme it used. `true` (believe anyone)
 * is refused: any client could then name any address and slip past the limiter.
 */
export const trustProxySetting = z.string().transform((text, ctx): TrustProxy => {
  const value = text.trim();
  if (value === 'false' || value === '0') return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(/[\s,]+/).filter(Boolean);
  if (entries.length > 0 && entries.every(isProxyEntry)) return entries;
  ctx.issues.push({
    code: 'custom',
    input: text,
    message:
      'must be a number of proxy hops (1), or the proxies as addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal, comma separated (true is refused: it would believe any client)',
  });
  return z.NEVER;
});
